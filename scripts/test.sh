#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs every check CI runs: formatting, lints, the Rust
# tests (unit, property, against the emulator over HTTP), the UI's type check and unit tests,
# and the end-to-end suite in the real app under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test

echo "== UI: type check, unit tests, build" >&2
npm run --prefix ui check
npm run --prefix ui test
npm run --prefix ui build

echo "== cargo fmt" >&2
cargo fmt --all --check
echo "== cargo clippy" >&2
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test" >&2
# With the UI embedded (custom-protocol), as the end-to-end build below, so the two share what
# they can (dev-dependencies still make some dependencies build twice).
cargo test --workspace --locked --features custom-protocol
echo "== generated TypeScript types are up to date" >&2
if [ -n "$(git status --porcelain -- ui/src/lib/bindings)" ]; then
  git status --short -- ui/src/lib/bindings >&2
  echo "ui/src/lib/bindings changed: run cargo test and commit the result." >&2
  exit 1
fi

echo "== end to end, in the real app under Xvfb" >&2
bash scripts/e2e.sh
