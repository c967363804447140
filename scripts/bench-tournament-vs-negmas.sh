#!/usr/bin/env bash
# Side-by-side tournaments, NegMAS's cartesian_tournament vs detente tournament, in one run
# (see bench_tournament_vs_negmas.py), then detente's scaling over jobs and its peak memory.
#   scripts/bench-tournament-vs-negmas.sh [--quick] [--out FILE] [other driver options]
# Needs NegMAS in a venv: $NEGMAS_VENV (default /work/venv-negmas, else ../venv-negmas);
# create one with ../shared/tools/negmas-peer/setup.sh (pip install negmas==0.16.0).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${NEGMAS_VENV:-/work/venv-negmas}"
[ -x "$VENV/bin/python" ] || VENV="$ROOT/../venv-negmas"
if ! "$VENV/bin/python" -c "import negmas" 2>/dev/null; then
  echo "NegMAS not importable from $VENV; set NEGMAS_VENV or run ../shared/tools/negmas-peer/setup.sh" >&2
  exit 2
fi
cargo build --release --quiet -p detente-cli --manifest-path "$ROOT/Cargo.toml"
exec "$VENV/bin/python" "$ROOT/scripts/bench_tournament_vs_negmas.py" \
  --detente-bin "$ROOT/target/release/detente" \
  --root "$ROOT/../shared/data/negmas-vectors/scenarios" "$@"
