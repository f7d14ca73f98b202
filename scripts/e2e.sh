#!/usr/bin/env bash
# Builds the app with its UI embedded and drives it through tauri-driver and WebKitWebDriver
# under Xvfb. Screenshots of every screen in every language go to docs/screenshots/.
#
# The binary is built with the same flags, features and environment as the Rust tests in
# scripts/test.sh (scripts/cargo-env.sh), so after those it is already built: nothing compiles
# twice. scripts/test.sh sets HUMO_IDENT_EXPECT_FRESH, and then a build that compiles anything
# fails this step.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cargo-env.sh

# scripts/test.sh has built the UI already: building it again would only give its files new times,
# and the app (which embeds them) would be compiled again.
if [ -z "${HUMO_IDENT_UI_BUILT:-}" ]; then npm run --prefix ui build; fi
if [ -n "${HUMO_IDENT_EXPECT_FRESH:-}" ]; then
  cargo build "${workspace_build[@]}" --message-format=json-render-diagnostics |
    node scripts/cargo-fresh.mjs all "the end-to-end step's build"
else
  cargo build "${workspace_build[@]}"
fi
export PATH="$HOME/.cargo/bin:$PATH"
# WebKit's compositing stays on, as on a machine with a GPU: without it (what `auto` picks under
# Xvfb) WebDriver's screenshots hang.
export HUMO_IDENT_COMPOSITING=on
# A fresh display per run; tauri-driver is stopped with SIGTERM by the suite itself.
xvfb-run --auto-servernum --server-args="-screen 0 1280x800x24" npm run --prefix ui e2e
