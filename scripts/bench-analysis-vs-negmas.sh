#!/usr/bin/env bash
# Side-by-side benchmark of detente's analysis lens against NegMAS 0.16.0 on identical inputs.
#
#   scripts/bench-analysis-vs-negmas.sh [--big] [--reps N] [--out FILE]
#
# Environment:
#   NEGMAS_VENV     venv with negmas (default /work/venv-negmas if it exists, else
#                   ${XDG_CACHE_HOME:-$HOME/.cache}/detente/venv-negmas, created here; never inside the repo)
#   NEGMAS_VERSION  default 0.16.0 (the version the reference vectors were recorded with)
#   GENIUS_DATA     folder with the GENIUS Energy domain (default ../shared/data/genius beside the repo)
#
# The default run (random 1e5/1e6, opposed 1e4 and 1e5 — NegMAS's 1e5 opposed time is
# extrapolated from 1e4 as O(n^2) — and the Energy full analysis) takes about 2-4 minutes.
# --big adds detente alone on 10^8 outcomes (peak memory).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${NEGMAS_VENV:-}" ]; then
  if [ -x /work/venv-negmas/bin/python ]; then NEGMAS_VENV=/work/venv-negmas; else NEGMAS_VENV="${XDG_CACHE_HOME:-$HOME/.cache}/detente/venv-negmas"; fi
fi
NEGMAS_VERSION="${NEGMAS_VERSION:-0.16.0}"
if ! "$NEGMAS_VENV/bin/python" -c "import negmas" 2>/dev/null; then
  python3 -m venv "$NEGMAS_VENV"
  "$NEGMAS_VENV/bin/pip" install -q --upgrade pip
  "$NEGMAS_VENV/bin/pip" install -q "negmas==${NEGMAS_VERSION}"
fi
GENIUS_DATA="${GENIUS_DATA:-$ROOT/../shared/data/genius}"
(cd "$ROOT" && cargo build --release -q -p detente-analysis --example analysis_bench)
BIN="$ROOT/target/release/examples/analysis_bench"
GEN=()
[ -d "$GENIUS_DATA/Energy" ] && GEN=(--genius "$GENIUS_DATA")
exec "$NEGMAS_VENV/bin/python" "$ROOT/scripts/bench_analysis_vs_negmas.py" --binary "$BIN" "${GEN[@]}" "$@"
