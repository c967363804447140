#!/usr/bin/env bash
# Submits the shards as a job array, then a merge job that starts when every shard succeeded.
#   RESULTS=/shared/run1 docs/cluster/slurm-submit.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${DETENTE:=detente}"
: "${RESULTS:=results}"
export DETENTE RESULTS
mkdir -p logs "${RESULTS}"

array_id="$(sbatch --parsable "${here}/slurm-tournament.sh")"
echo "shards: job array ${array_id}"

# the merge writes the same files an unsharded run would, byte for byte
merge_id="$(sbatch --parsable --dependency="afterok:${array_id}" --job-name=detente-merge \
  --cpus-per-task=1 --mem=1G --time=00:30:00 --output=logs/%x-%j.out \
  --wrap="${DETENTE} tournament merge --out ${RESULTS}/all ${RESULTS}/shard-*")"
echo "merge: job ${merge_id} (after ${array_id}); then: ${DETENTE} tournament report ${RESULTS}/all"
