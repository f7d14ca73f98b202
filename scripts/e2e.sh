#!/usr/bin/env bash
# Builds the app with its UI embedded and drives it through tauri-driver and WebKitWebDriver
# under Xvfb. Screenshots of every screen in every language go to docs/screenshots/.
#
# The binary is the workspace's build (`cargo xtask build workspace`), the one scripts/test.sh
# tests: after those tests nothing compiles again, and under scripts/test.sh
# (HUMO_IDENT_EXPECT_FRESH) a build that compiles anything fails this step.
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=()
if [ -n "${HUMO_IDENT_EXPECT_FRESH:-}" ]; then fresh=(--expect-fresh all); fi
cargo xtask build workspace "${fresh[@]}"
export PATH="$HOME/.cargo/bin:$PATH"
# WebKit's compositing stays on, as on a machine with a GPU: without it (what `auto` picks under
# Xvfb) WebDriver's screenshots hang.
export HUMO_IDENT_COMPOSITING=on
# A fresh display per run; tauri-driver is stopped with SIGTERM by the suite itself.
cargo xtask xvfb npm run --prefix ui e2e
