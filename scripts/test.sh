#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs every check CI runs: formatting, lints, and the
# whole test suite (unit, property and integration tests against the emulator over HTTP).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== cargo fmt" >&2
cargo fmt --all --check
echo "== cargo clippy" >&2
cargo clippy --workspace --all-targets --locked -- -D warnings
echo "== cargo test" >&2
cargo test --workspace --locked
