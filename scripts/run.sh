#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and runs Humo Ident in demo mode: the bank's API is
# emulated in-process and a whole identification runs with generated photos. Arguments are
# passed on to `humo-ident demo` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cargo run --release --locked --quiet -p humo-ident-cli -- demo "$@"
