#!/usr/bin/env bash
# Runs every fuzz target for <seconds> each (default 60), one after another,
# from the committed seeds and every input that ever crashed a target.
# Fails on the first crash, panic, timeout or out-of-memory; the input is
# left in fuzz/artifacts/<target>/: copy it to fuzz/regressions/<target>/,
# fix the cause, and the crates' tests replay it from then on.
#
# Needs only stable Rust: cargo-fuzz's nightly flags (sanitizer, coverage)
# are allowed with RUSTC_BOOTSTRAP=1. cargo-fuzz itself is installed from
# crates.io (pinned, --locked) when missing.
set -euo pipefail
seconds="${1:-60}"
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
export RUSTC_BOOTSTRAP=1

CARGO_FUZZ_VERSION=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

targets=(audio_check imaging_process video_check)
start=$(date +%s)
nice cargo fuzz build 2>&1 | tail -n 3
echo "build: $(( $(date +%s) - start )) s"

for target in "${targets[@]}"; do
  corpus="corpus/$target"
  mkdir -p "$corpus" "artifacts/$target"
  t0=$(date +%s)
  log="artifacts/$target/run.log"
  # -timeout: one input may take at most 10 s (a hang is a finding);
  # -rss_limit_mb: more than 2 GB for one input is a finding.
  # mp4parse allocates fallibly (try_reserve) from box counts and turns a
  # refused allocation into a parse error, as the system allocator does for
  # an absurd claim. Let ASan refuse such claims the same way instead of
  # aborting, and judge video_check by memory really used (-rss_limit_mb).
  asan=""
  extra=()
  if [ "$target" = video_check ]; then
    asan="allocator_may_return_null=1"
    extra=(-malloc_limit_mb=1000000)
  fi
  status=0
  ASAN_OPTIONS="$asan" nice cargo fuzz run "$target" "$corpus" "seeds/$target" "regressions/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 "${extra[@]}" >"$log" 2>&1 || status=$?
  grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)|ERROR|panicked|Test unit written" "$log" | tail -n 12 || true
  if [ "$status" -ne 0 ]; then
    echo "$target: FOUND A CRASH (exit $status); full log: fuzz/$log" >&2
    exit "$status"
  fi
  echo "$target: $(( $(date +%s) - t0 )) s"
done
echo "fuzz/run.sh: all targets ran ${seconds} s each without a finding; total $(( $(date +%s) - start )) s"
