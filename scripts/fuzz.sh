#!/usr/bin/env bash
# Runs one fuzz target of fuzz/ (cargo-fuzz, libFuzzer) for a given time, and prints its final
# figures: the number of inputs run, the coverage (cov, ft), and any crash, time-out or
# out-of-memory it found. docs/RELIABILITY.md ("Fuzzing") lists the targets and the last runs.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]
#   scripts/fuzz.sh --list
#
# The corpus grows in fuzz/corpus/TARGET (not in git); the seeds in fuzz/seeds/TARGET and the
# inputs of past crashes in fuzz/regressions/TARGET are read too. A crash is saved in
# fuzz/artifacts/TARGET/ and replayed with
#   cargo +nightly fuzz run TARGET fuzz/artifacts/TARGET/crash-…
# The run is niced (FUZZ_NICE, default 10) and is one process: the build machines are shared.
# Every input may use 2 GiB and 10 s (a decompression bomb in a photo shows as either).
# FUZZ_PREBUILT=1 runs the target as last built (`cargo +nightly fuzz build`) instead of
# building it first: for runs while the sources are being edited.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" = "--list" ]; then
    for target in fuzz/fuzz_targets/*.rs; do basename "$target" .rs; done
    exit 0
fi
if [ $# -lt 2 ]; then
    echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options…] | --list" >&2
    exit 2
fi
target=$1
seconds=$2
shift 2
if [ ! -f "fuzz/fuzz_targets/$target.rs" ]; then
    echo "no fuzz target $target; these exist:" >&2
    "$0" --list >&2
    exit 2
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

corpus=(fuzz/corpus/"$target")
mkdir -p "${corpus[0]}" fuzz/artifacts/"$target"
if [ -d fuzz/seeds/"$target" ]; then corpus+=(fuzz/seeds/"$target"); fi
# The inputs of crashes found and fixed (each also a test in the crate it was in).
if [ -d fuzz/regressions/"$target" ]; then corpus+=(fuzz/regressions/"$target"); fi
log=fuzz/artifacts/"$target"/last-run.log

echo "== $target for $seconds s (nightly: $(rustc +nightly -V)); log in $log" >&2
status=0
if [ -n "${FUZZ_PREBUILT:-}" ]; then
    host=$(rustc +nightly -vV | sed -n 's/^host: //p')
    run=(fuzz/target/"$host"/release/"$target" -artifact_prefix=fuzz/artifacts/"$target"/ "${corpus[@]}")
else
    run=(cargo +nightly fuzz run "$target" "${corpus[@]}" --)
fi
nice -n "${FUZZ_NICE:-10}" "${run[@]}" \
    -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "$@" \
    2>&1 | tee "$log" >&2 || status=$?

echo "== $target: last status and final figures" >&2
grep -E '^#[0-9]+' "$log" | tail -n 1 || true
grep -E '^stat::' "$log" || true
grep -E '^(==[0-9]+== ERROR|SUMMARY|artifact_prefix|Test unit written)' "$log" || true
exit "$status"
