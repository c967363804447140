#!/usr/bin/env bash
# A short run of every fuzz target (fuzz/fuzz_targets), as .ci/run does: SECONDS_PER_TARGET each
# (default 30), from a copy of its kept corpus, failing on any crash, hang (10 s per input) or
# out-of-memory (2 GB). Builds the targets with libFuzzer's coverage instrumentation on the
# stable toolchain (no sanitizer: cargo fuzz's AddressSanitizer needs nightly; long campaigns run
# `cargo fuzz run <target>` there, see docs/fuzzing.md). A crash leaves its input in
# $OUT/<target>/; keep it in fuzz/regressions/<target>/ once fixed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SECS="${SECONDS_PER_TARGET:-30}"
OUT="${FUZZ_OUT:-$(mktemp -d /tmp/detente-fuzz.XXXXXX)}"
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$ROOT/fuzz/target}"
# the instrumentation cargo fuzz adds (cargo-fuzz 0.13, sanitizer none), all stable flags
export RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing -Cdebug-assertions -Coverflow-checks"
# (an explicit --target keeps the flags off build scripts and proc macros, as cargo fuzz does)
HOST="$(rustc -vV | sed -n 's/^host: //p')"
cargo build --release --quiet --manifest-path "$ROOT/fuzz/Cargo.toml" --bins --target "$HOST"
for src in "$ROOT"/fuzz/fuzz_targets/*.rs; do
  t="$(basename "$src" .rs)"
  mkdir -p "$OUT/$t/corpus"
  cp "$ROOT/fuzz/corpus/$t/"* "$OUT/$t/corpus/"
  [ -d "$ROOT/fuzz/regressions/$t" ] && cp "$ROOT/fuzz/regressions/$t/"* "$OUT/$t/corpus/"
  echo "-- $t (${SECS}s)"
  "$CARGO_TARGET_DIR/$HOST/release/$t" "$OUT/$t/corpus" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -artifact_prefix="$OUT/$t/" -print_final_stats=1 2>&1 | grep -E "^(Done|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY)|panicked" || true
  failing=("$OUT/$t"/crash-* "$OUT/$t"/timeout-* "$OUT/$t"/oom-* "$OUT/$t"/leak-*)
  for f in "${failing[@]}"; do
    if [ -e "$f" ]; then
      echo "error: $t found a failing input: $f" >&2
      exit 1
    fi
  done
done
echo "fuzz smoke run: every target clean (${SECS}s each)"
