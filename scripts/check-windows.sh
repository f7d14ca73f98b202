#!/usr/bin/env bash
# Compiles, lints and tests Humo Ident for Windows (x86_64-pc-windows-gnu) on this Linux machine,
# inside the Debian unstable root that scripts/windows-root.sh makes once per machine:
#
#   1. clippy with -D warnings on the bank's build and on the demo build, for Windows;
#   2. the workspace's tests built for Windows and run under Wine 10 (the CLI's tests start the
#      CLI as a Windows .exe, against the emulator, also a Windows program under Wine);
#   3. the bank's app cross-built, and its import table read: it may import only DLLs a stock
#      Windows 10 has (scripts/windows-dlls.txt).
#
# The standard library for the target is built from the root's rust-src (-Zbuild-std). What the
# build makes goes to a folder inside the root, so a fresh clone on the same machine reuses it
# (cargo decides what is stale); a new machine builds it all again. Wine has no WebView2: the
# app's window cannot run there, so the shell's own tests run on Linux only (docs/TESTING.md,
# "Windows and macOS").
#
# The same root also checks the code for macOS as far as it can without Apple's SDK:
#
#   scripts/check-windows.sh            everything above
#   scripts/check-windows.sh lint       only 1
#   scripts/check-windows.sh macos      `cargo check` for aarch64-apple-darwin (docs/TESTING.md,
#                                       "Windows and macOS": which crate stops it, and why)
set -euo pipefail
cd "$(dirname "$0")/.."

# Every clone at /src: the build folder is shared between clones, and cargo keys the workspace's
# own crates by their path relative to the workspace (an artifact built in another clone's
# place would keep that place in env!("CARGO_MANIFEST_DIR"), where the tests find their
# fixtures).
src=/src

# Runs a command in the root, in the project's folder, with only the variables it needs.
in_root() {
  chroot "$root" env -i \
    HOME=/root PATH=/usr/bin:/bin LANG=C.UTF-8 \
    CARGO_HOME=/root/.cargo CARGO_TARGET_DIR=/var/cache/humo-ident-target \
    CARGO_TERM_COLOR=never RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine WINEDEBUG=-all WINEPREFIX=/root/.wine \
    TS_RS_EXPORT_DIR=/tmp/bindings \
    bash -c 'cd "$0" && "$@"' "$src" "$@"
}

# `--in-root ROOT COMMAND...`: in_root for scripts/run-side-by-side.mjs (its --via), which this
# script starts below, inside its mount namespace, so the mounts are there.
if [ "${1:-}" = "--in-root" ]; then
  root=$2
  shift 2
  in_root "$@"
  exit
fi

if [ "${1:-}" != "--inside" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    # chroot and mounts need root: as scripts/setup.sh does for apt-get, through sudo.
    if command -v sudo >/dev/null; then exec sudo bash "$0" "$@"; fi
    echo "scripts/check-windows.sh runs as root (it uses chroot and mounts): sudo $0 $*" >&2
    exit 1
  fi
  root=$(bash scripts/windows-root.sh)
  # The app embeds the UI (custom-protocol): the build needs ui/dist.
  if [ ! -f ui/dist/index.html ]; then npm run --prefix ui build; fi
  # A mount namespace of its own: the mounts below go away with this script, however it ends.
  exec unshare --mount --propagation private bash "$0" --inside "$root" "$@"
fi
root=$2
what=${3:-all}

# Once, on a freshly booted machine, mounting proc failed with ENAMETOOLONG ("File name too
# long") and worked when tried again by hand; the cause is not known. Tried three times, saying so.
for try in 1 2 3; do
  mount -t proc proc "$root/proc" && break
  [ "$try" = 3 ] && exit 32
  echo "mounting proc in the Windows root failed (try $try of 3): again in 2 s" >&2
  sleep 2
done
mount --bind /dev "$root/dev"
mkdir -p "$root$src"
mount --bind "$PWD" "$root$src"

started=$SECONDS
step() { echo "== [windows, $((SECONDS - started)) s] $*" >&2; }
if [ "$what" = macos ]; then
  # Stops today at the first build script that compiles C or Objective-C for the target (ring,
  # objc2-exception-helper, objc_exception): that needs clang and Apple's SDK, which this root
  # lacks (docs/TESTING.md, "Windows and macOS"). With an SDK at hand, point these at it (a path
  # inside the root): SDKROOT, and CC_aarch64_apple_darwin, for example clang with
  # `--target=arm64-apple-macos11 -isysroot $SDKROOT`.
  step "cargo check, the bank's app and the CLI, for macOS (aarch64-apple-darwin)"
  in_root env ${SDKROOT:+SDKROOT="$SDKROOT"} \
    ${CC_aarch64_apple_darwin:+CC_aarch64_apple_darwin="$CC_aarch64_apple_darwin"} \
    cargo check --locked --target aarch64-apple-darwin -Zbuild-std=std,panic_abort \
    -p humo-ident-desktop -p humo-ident-cli --no-default-features \
    --features humo-ident-desktop/native-camera,humo-ident-desktop/custom-protocol,humo-ident-cli/native-camera
  exit 0
fi
# Clones share the build folder and cargo judges it by the files' times: a fresh clone's files
# are newer than any artifact, so it is built right. Two clones that take turns are not: a run
# in an older clone after a newer one's edits leaves artifacts newer than the newer clone's
# files. Touch the newer clone's changed files (or give each its own CARGO_TARGET_DIR) then.
# (`-Zchecksum-freshness` would judge by content; unstable, and it rebuilds the whole cache.)
windows=(--locked --target x86_64-pc-windows-gnu -Zbuild-std=std,panic_abort)
bank=(--no-default-features --features native-camera,custom-protocol)
# The same crates clippy lints on Linux: the bank's build (libraries and binaries) and the demo
# build (every target).
step "clippy, the bank's build, for Windows"
in_root cargo clippy "${windows[@]}" --workspace --lib --bins "${bank[@]}" -- -D warnings
step "clippy, the demo build, for Windows"
in_root cargo clippy "${windows[@]}" --workspace --all-targets --features custom-protocol -- -D warnings
[ "$what" = lint ] && exit 0

step "the workspace's tests, built for Windows, under Wine"
in_root wineboot --init >/dev/null 2>&1 || true
# The shell's crate (humo-ident-desktop) links WebView2's loader; Wine has no WebView2.
tests=("${windows[@]}" --workspace --exclude humo-ident-desktop)
in_root cargo test "${tests[@]}" --no-run
# Side by side, as on Linux (scripts/test.sh): most of them wait on the emulator's timers. Two
# at a time, since in CI they run beside the Linux tests. Each runs under Wine in the root
# (cargo's runner for the target). Cross-compiled, cargo runs no doc tests (they run on Linux).
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine node scripts/run-side-by-side.mjs --jobs 2 \
  --via "bash scripts/check-windows.sh --in-root $root" <<PLAN
tests windows TS_RS_EXPORT_DIR=/tmp/bindings ${tests[*]}
PLAN

step "the bank's app for Windows imports only what Windows 10 has"
in_root cargo build "${windows[@]}" -p humo-ident-desktop "${bank[@]}"
in_root bash scripts/windows-imports.sh \
  /var/cache/humo-ident-target/x86_64-pc-windows-gnu/debug/humo-ident-desktop.exe
step "done"
