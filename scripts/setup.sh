#!/usr/bin/env bash
# Installs what building, running and testing Humo Ident needs on Debian or Ubuntu. Safe to run
# again: it installs only what is missing.
#
#   scripts/setup.sh           build and run the app
#   scripts/setup.sh --test    also the end-to-end tools (Xvfb, WebKitWebDriver, tauri-driver)
set -euo pipefail
cd "$(dirname "$0")/.."

# libclang for nokhwa's V4L2 bindings; WebKitGTK (with GTK, libsoup, JavaScriptCore) for Tauri.
packages=(build-essential pkg-config libclang-dev libwebkit2gtk-4.1-dev)
if [ "${1:-}" = "--test" ]; then
  packages+=(xvfb webkit2gtk-driver xauth)
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is not installed. Install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
for component in clippy rustfmt; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    rustup component add "$component"
  fi
done

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "Node.js 20 or later is needed for the UI (found $(node --version))." >&2
  exit 1
fi
# The UI's packages, exactly as locked.
if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  npm ci --prefix ui --no-audit --no-fund
fi

# The two test tools are built without optimisation: half a minute to a minute faster to build
# on two cores, and neither does enough work for its speed to matter (cargo-deny checks this
# tree in 5 s, tauri-driver only relays WebDriver's requests).
if [ "${1:-}" = "--test" ] && ! command -v tauri-driver >/dev/null && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
  cargo install tauri-driver --locked --debug
fi
# The supply-chain check (deny.toml), at the version the policy was reviewed with.
deny_version=0.20.2
if [ "${1:-}" = "--test" ] && ! cargo deny --version 2>/dev/null | grep -q "$deny_version"; then
  cargo install cargo-deny --locked --version "$deny_version" --no-default-features --debug
fi
