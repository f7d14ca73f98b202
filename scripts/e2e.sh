#!/usr/bin/env bash
# Builds the app with its UI embedded and drives it through tauri-driver and WebKitWebDriver
# under Xvfb. Screenshots of every screen in every language go to docs/screenshots/.
#
# The binary is built by the same cargo invocation (same packages, targets and features) as the
# Rust tests in scripts/test.sh, so after those it is already built: nothing compiles twice.
set -euo pipefail
cd "$(dirname "$0")/.."

# scripts/test.sh has built the UI already: building it again would only give its files new times,
# and the app (which embeds them) would be compiled again.
if [ -z "${HUMO_IDENT_UI_BUILT:-}" ]; then npm run --prefix ui build; fi
cargo build --workspace --all-targets --locked --features custom-protocol
export PATH="$HOME/.cargo/bin:$PATH"
# WebKit's compositing stays on, as on a machine with a GPU: without it (what `auto` picks under
# Xvfb) WebDriver's screenshots hang.
export HUMO_IDENT_COMPOSITING=on
# A fresh display per run; tauri-driver is stopped with SIGTERM by the suite itself.
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" npm run --prefix ui e2e
