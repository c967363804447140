#!/usr/bin/env bash
# One shard of a detente tournament per Slurm array task; submit with slurm-submit.sh.
# Every task runs the same command with its own --shard K/N and its own folder. A task that is
# killed, preempted or requeued resumes where its last checkpoint left off when it runs again.
#SBATCH --job-name=detente-tournament
#SBATCH --array=1-16
#SBATCH --cpus-per-task=8
#SBATCH --mem=2G
#SBATCH --time=04:00:00
#SBATCH --requeue
#SBATCH --output=logs/%x-%A_%a.out
set -euo pipefail

: "${DETENTE:=detente}"             # the released binary, on every node's PATH or given here
: "${RESULTS:=results}"             # a folder on a file system every node sees
: "${SCENARIOS:=domains/*}"         # quoted: detente expands the pattern itself, sorted

k="${SLURM_ARRAY_TASK_ID:?run this under sbatch --array}"
n="${SLURM_ARRAY_TASK_COUNT:?run this under sbatch --array}"

"${DETENTE}" tournament \
  --negotiators 'boulware,linear,conceder,aspiration,micro' \
  --scenarios "${SCENARIOS}" \
  --rotate --repetitions 100 --rounds 1000 --seed 2025 \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --shard "${k}/${n}" \
  --out "${RESULTS}/shard-${k}"
