#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine and opens Humo Ident. With no server configured it runs
# in demo mode: the bank is emulated in-process and the synthetic camera stands in when there is
# none. Arguments go to the app (try --help): --kiosk, --api URL, --config FILE, --camera DEVICE.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
cargo xtask build app --release
exec target/release/humo-ident-desktop "$@"
