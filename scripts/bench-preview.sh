#!/usr/bin/env bash
# The preview benchmark in the real webview under Xvfb: the synthetic camera at 1280x720 MJPEG,
# 30 fps, drawn for SECONDS (default 20) by each transport: the app's own (raw JPEG pulled over
# the preview protocol after each draw) and the naive one (base64 frames in events); and the
# anchor, one frame decoded once and drawn every animation frame (the webview's own limit).
# Each mode runs with WebKit's compositing off (what `auto` picks on a machine without a GPU, as
# under Xvfb) and on (as WebKit decides). Prints one JSON line per run. Pass --release to measure
# a release build.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=20
profile=debug
for arg in "$@"; do
  case "$arg" in
    --release) profile=release ;;
    *) seconds="$arg" ;;
  esac
done

bash scripts/setup.sh --test >&2
release=()
if [ "$profile" = release ]; then release=(--release); fi
cargo xtask build app "${release[@]}" >&2
for compositing in off on; do
  for transport in pull events anchor; do
    printf '{"compositing": "%s", "figures": %s}\n' "$compositing" "$(
      cargo xtask xvfb "target/$profile/humo-ident-desktop" --compositing "$compositing" \
        --bench-preview "$transport" --bench-seconds "$seconds"
    )"
  done
done
