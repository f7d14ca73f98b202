#!/usr/bin/env bash
# Hostile photos: each file of the corpus (made by crates/test-support/src/hostile.rs) is
# prepared alone, as every photo is before it is sent (its time and the peak resident memory of
# a process doing only that), then given to `humo-ident run` as the back of a new passport,
# against the emulator on loopback (its exit status, the first line of its error, the peak
# resident memory of the whole run and its wall time). A refused file never reaches the
# network; a good one runs the whole identification, so its run time holds three uploads and
# their checks. Figures: docs/RELIABILITY.md.
#
# Usage: scripts/hostile-photos.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."

profile=${1:-debug}
if [ "$profile" = release ]; then
  cargo build --release --locked -p humo-ident-cli -p humo-ident-soak
else
  cargo xtask build workspace
fi
bin=target/$profile
work=$(mktemp -d)
trap 'kill "${emulator_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin/hostile-corpus" "$work/corpus" >"$work/corpus.tsv"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin/humo-ident" emulator --port "$port" --task-delay-ms 100 2>"$work/emulator.log" &
emulator_pid=$!
for _ in $(seq 100); do
  grep -q "Press Ctrl-C" "$work/emulator.log" && break
  sleep 0.1
done
printf '[polling]\nfirst-delay-ms = 100\ninterval-ms = 100\n' >"$work/fast.toml"
"$bin/hostile-corpus" "$work/good" >/dev/null
good=$work/good/progressive.jpg
face=tests/fixtures/face-public-domain.png

echo "| file | bytes | expected | preparation | its peak RSS | run: exit | what the person reads | run: peak RSS | run: wall time |"
echo "|---|---|---|---|---|---|---|---|---|"
while IFS=$'\t' read -r name bytes expected; do
  status=0
  /usr/bin/time -f '%M %e' -o "$work/time" \
    "$bin/humo-ident" run --api "http://127.0.0.1:$port" --config "$work/fast.toml" \
    --key 05a4ce19-de3c-4d2c-a464-7356dbdbd107 --document new \
    --front "$good" --back "$work/corpus/$name" --selfie "$face" \
    >"$work/out" 2>"$work/err" || status=$?
  read -r peak_kb seconds < <(tail -n1 "$work/time")
  read -r prep_ms prep_kb _ < <("$bin/hostile-corpus" --prepare "$work/corpus/$name")
  said=$(grep -m1 -i "error\|refused\|photo" "$work/err" | sed 's|.*/corpus/[^:]*: ||' | cut -c1-90 || true)
  [ "$status" = 0 ] && said="identification done"
  printf '| %s | %s | %s | %d ms | %d MB | %s | %s | %d MB | %s s |\n' \
    "$name" "$bytes" "$expected" "$prep_ms" $((prep_kb / 1024)) "$status" "$said" \
    $((peak_kb / 1024)) "$seconds"
done <"$work/corpus.tsv"
