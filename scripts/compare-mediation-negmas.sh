#!/usr/bin/env bash
# detente's single text beside NegMAS 0.16's VetoST and HillClimbingST over seeds, on the shared
# GENIUS scenarios and the reference scenario (see compare_mediation_negmas.py).
#   scripts/compare-mediation-negmas.sh [--seeds N] [--deadlines 30 100 1000] [--rules negmas] [--out FILE] [...]
# Needs NegMAS (and scipy, which it brings) in a venv: $NEGMAS_VENV (default /work/venv-negmas, else
# ../venv-negmas); create one with ../shared/tools/negmas-peer/setup.sh (pip install negmas==0.16.0).
# Not part of CI: it needs that venv. About 10 minutes on 2 cores with the defaults.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="${NEGMAS_VENV:-/work/venv-negmas}"
[ -x "$VENV/bin/python" ] || VENV="$ROOT/../venv-negmas"
if ! "$VENV/bin/python" -c "import negmas, scipy" 2>/dev/null; then
  echo "NegMAS or scipy not importable from $VENV; set NEGMAS_VENV or run ../shared/tools/negmas-peer/setup.sh" >&2
  exit 2
fi
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
cargo build --release --quiet -p detente-cli --manifest-path "$ROOT/Cargo.toml"
exec "$VENV/bin/python" "$ROOT/scripts/compare_mediation_negmas.py" \
  --detente-bin "$TARGET/release/detente" \
  --data "$ROOT/../shared/data/genius" \
  --reference "$ROOT/scenarios/ukraine-ceasefire-2025.toml" "$@"
