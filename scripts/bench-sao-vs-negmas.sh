#!/usr/bin/env bash
# Side-by-side SAO throughput, NegMAS vs detente, in one run (see bench_sao_vs_negmas.py).
#   scripts/bench-sao-vs-negmas.sh [--quick] [--out FILE] [other driver options]
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
cargo build --release --quiet --example sao_throughput -p detente-agents --manifest-path "$ROOT/Cargo.toml"
exec "$VENV/bin/python" "$ROOT/scripts/bench_sao_vs_negmas.py" \
  --detente-bin "$ROOT/target/release/examples/sao_throughput" \
  --root "$ROOT/../shared/data/negmas-vectors/scenarios" "$@"
