#!/usr/bin/env bash
# Checks the bank's build: the desktop app without the `demo` and `bench` features, the CLI
# without `emulator`, and the UI without the end-to-end tests' hooks, the demo panel and the
# benchmark page. It must compile and lint clean, pass its own unit tests (the settings refuse
# demo mode there), and hold no emulator (so no axum and no rsa), no camera stand-in (synthetic
# camera, photo file), no benchmark window and no test hook.
#
# Run by scripts/test.sh after the workspace's build, whose dependencies it shares (the bank's
# features change only the workspace's own crates), so it costs little beyond compiling those
# again. Clippy lints them as they compile (`cargo xtask`'s build environment): the libraries
# and binaries, and their unit tests, with the bank's features; the integration tests,
# benchmarks and examples are linted with the demo's features by the workspace's build.
#
#   scripts/check-bank-build.sh            build the bank's unit tests and run them
#   scripts/check-bank-build.sh --no-run   only build them: scripts/test.sh runs them beside the
#                                          workspace's tests (`cargo xtask args bank-tests`)
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  --no-run | "") ;;
  *) echo "usage: scripts/check-bank-build.sh [--no-run]" >&2; exit 2 ;;
esac

# The packaged binaries and their features in the bank's build: the app, and the CLI without
# its `emulator` and `demo` commands.
packages=(
  "humo-ident-desktop --no-default-features --features native-camera,custom-protocol"
  "humo-ident-cli --no-default-features --features native-camera"
)
for package in "${packages[@]}"; do
  read -r -a args <<<"$package"
  echo "-- the bank's ${args[0]} holds no emulator, HTTP server or RSA, and no camera stand-in" >&2
  tree=$(cargo tree --locked -p "${args[@]}" -e normal --prefix none)
  # qrcode draws the synthetic camera's QR scene: nothing else uses it.
  for crate in humo-ident-emulator axum rsa jsonwebtoken qrcode; do
    if grep -q "^$crate v" <<<"$tree"; then
      echo "the bank's ${args[0]} depends on $crate:" >&2
      cargo tree --locked -p "${args[@]}" -e normal -i "$crate" >&2
      exit 1
    fi
  done
  # The synthetic camera and the photo file that stand in for a camera are compiled out.
  camera_features=$(cargo tree --locked -p "${args[@]}" -e normal,features -i humo-ident-camera)
  if grep -q 'humo-ident-camera feature "stand-ins"' <<<"$camera_features"; then
    echo "the bank's ${args[0]} can film a synthetic camera or a photo file:" >&2
    echo "$camera_features" >&2
    exit 1
  fi
done

if [ "${1:-}" = "--no-run" ]; then
  echo "-- the bank's build compiles and lints clean (its unit tests are built, not run)" >&2
  fresh=()
  # After the workspace's build only the workspace's own crates differ (their features).
  if [ -n "${HUMO_IDENT_EXPECT_FRESH:-}" ]; then fresh=(--expect-fresh dependencies); fi
  cargo xtask build bank-tests "${fresh[@]}"
else
  echo "-- the bank's build compiles and lints clean, and passes its unit tests (it refuses demo" >&2
  echo "   mode and fails closed with no bank)" >&2
  read -r -a test_args <<<"$(cargo xtask args bank-tests)"
  cargo xtask env cargo test "${test_args[@]}"
fi

echo "-- the bank's UI has no test hooks, no demo panel and no benchmark page" >&2
bundle=$(mktemp -d)
trap 'rm -rf "$bundle"' EXIT
cargo xtask ui --bank --out-dir "$bundle" >/dev/null
# What each leaves in a bundle: the hooks' global, the panel's class, the benchmark's command.
for left_out in humoIdentReceived demo-panel bench_report; do
  if grep -rl "$left_out" "$bundle" >&2; then
    echo "the bank's UI bundle holds \"$left_out\" (a test hook, the demo panel or the benchmark)" >&2
    exit 1
  fi
done
echo "the bank's build: no emulator, no benchmark window, no test hooks" >&2
