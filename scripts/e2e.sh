#!/usr/bin/env bash
# Builds the app with its UI embedded and drives it through tauri-driver and WebKitWebDriver
# under Xvfb. Screenshots of every screen in every language go to docs/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

npm run --prefix ui build
cargo build --locked --features custom-protocol -p humo-ident-desktop
export PATH="$HOME/.cargo/bin:$PATH"
# A fresh display per run; tauri-driver is stopped with SIGTERM by the suite itself.
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" npm run --prefix ui e2e
