#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs every check CI runs: formatting, lints, the Rust
# tests (unit, property, against the emulator over HTTP), the UI's type check and unit tests,
# and the end-to-end suite in the real app under Xvfb.
#
# Every cargo command below builds with the same flags, features and environment (`cargo
# xtask`, xtask/), so the Tauri stack is compiled once, clippy lints while it builds, and the
# end-to-end binary comes out of the test build. The steps after the build check that they
# compiled nothing it built (`--expect-fresh`).
#
#   scripts/test.sh             all of that
#   scripts/test.sh --windows   and the Windows check (scripts/check-windows.sh, as root): what
#                               CI runs (.ci/run). As root it runs beside the tests once the
#                               Linux build is done; otherwise after them, through sudo
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  "") windows= ;;
  --windows) windows=1 ;;
  *) echo "usage: scripts/test.sh [--windows]" >&2; exit 2 ;;
esac

# What an earlier step in this shell may have left set would skip or relax a step here.
unset HUMO_IDENT_UI_BUILT HUMO_IDENT_EXPECT_FRESH
started=$SECONDS
step() { echo "== [$((SECONDS - started)) s] $*" >&2; }

step "set-up"
bash scripts/setup.sh --test

step "supply chain: cargo deny (deny.toml)"
# Advisories need the RustSec database, fetched from GitHub: set HUMO_IDENT_ADVISORIES=1 where
# that is reachable. Licences, bans and sources need only the registry.
deny_checks=(bans licenses sources)
if [ -n "${HUMO_IDENT_ADVISORIES:-}" ]; then deny_checks+=(advisories); fi
cargo deny --locked check "${deny_checks[@]}"

step "UI: type check, unit tests, build"
npm run --prefix ui check
npm run --prefix ui test
cargo xtask ui
# Nothing after this step changes the UI's sources (the bindings check below fails if the tests
# did), so the end-to-end step uses this build.
export HUMO_IDENT_UI_BUILT=1

step "cargo fmt; the build recipes' (xtask/) fmt, clippy and tests"
cargo fmt --all --check
cargo fmt --manifest-path xtask/Cargo.toml --check
cargo clippy --manifest-path xtask/Cargo.toml --locked --all-targets --quiet -- -D warnings
cargo test --manifest-path xtask/Cargo.toml --locked --quiet
step "cargo build, linted by clippy"
cargo xtask build workspace
# Every later step must reuse that build: a step that compiles it again fails.
export HUMO_IDENT_EXPECT_FRESH=1
step "the end-to-end step's build is the one just made"
cargo xtask build workspace --expect-fresh all
step "the bank's build (no demo, no benchmark, no test hooks)"
bash scripts/check-bank-build.sh --no-run

# From here the Linux steps mostly wait (on the emulator's timers, on the webview), so the
# Windows check runs beside them: its own build folder and cargo, in its own root. Its output
# comes at the end; a failure here ends it too.
windows_pid=
bank_bindings=$(mktemp -d)
cleanup() {
  if [ -n "$windows_pid" ]; then kill -- "-$windows_pid" 2>/dev/null || true; fi
  rm -rf "$bank_bindings"
}
trap cleanup EXIT
# It needs root (chroot, mounts). A user's run asks sudo for it at the end, in the foreground:
# sudo in the background has no terminal to ask on.
if [ -n "$windows" ] && [ "$(id -u)" -eq 0 ]; then
  step "Windows: started beside the steps below (scripts/check-windows.sh; its output at the end)"
  windows_log=target/check-windows.log
  # A process group of its own, so that ending it ends its cargo and Wine too.
  setsid bash scripts/check-windows.sh >"$windows_log" 2>&1 &
  windows_pid=$!
fi
# The test binaries of both builds, the doc tests and the chaos soak (docs/RELIABILITY.md) run
# side by side: one after another they mostly wait on the emulator's timers.
# The bank's tests write the generated TypeScript types elsewhere: only the workspace's tests
# write the committed ones, which the next step checks.
step "cargo test (the workspace's and the bank's build's), the doc tests and the chaos soak, side by side"
cargo xtask env node scripts/run-side-by-side.mjs <<PLAN
tests workspace $(cargo xtask args workspace)
tests bank      TS_RS_EXPORT_DIR=$bank_bindings $(cargo xtask args bank-tests)
run   doc-tests cargo test $(cargo xtask args workspace) --doc
# 50 identifications with faults drawn from seed 7 (scripts/soak.sh)
run   soak      target/debug/humo-ident-soak 50 7
PLAN
# The command permissions tauri-build writes are committed: on a fresh clone it then finds them
# as they are and writes nothing, so its build script does not run a second time in the next
# cargo command (it watches that folder).
step "generated TypeScript types and command permissions are up to date"
generated=(ui/src/lib/bindings permissions)
if [ -n "$(git status --porcelain -- "${generated[@]}")" ]; then
  git status --short -- "${generated[@]}" >&2
  echo "generated files changed (${generated[*]}): run cargo test and commit the result." >&2
  exit 1
fi

step "end to end, in the real app under Xvfb"
bash scripts/e2e.sh

if [ -n "$windows_pid" ]; then
  step "Windows: waiting for the check started beside the tests"
  windows_status=0
  wait "$windows_pid" || windows_status=$?
  windows_pid=
  cat "$windows_log" >&2
  if [ "$windows_status" -ne 0 ]; then
    echo "the Windows check failed (exit $windows_status): its output is above" >&2
    exit 1
  fi
elif [ -n "$windows" ]; then
  step "Windows (scripts/check-windows.sh, through sudo)"
  bash scripts/check-windows.sh
fi
step "done"
