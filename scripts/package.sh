#!/usr/bin/env bash
# Builds the installable Linux packages, release-optimised, with the Tauri CLI from the UI's npm
# packages (nothing downloaded outside the package registries):
#
#   target/packages/humo-ident_VERSION_amd64.deb        the bank's: no emulator, no benchmark
#                                                       window, no test hooks
#   target/packages/humo-ident-demo_VERSION_amd64.deb   the stakeholders' demo, visibly a demo
#
# Each holds the app (`humo-ident-desktop`, with its menu entry and the `humo-ident:` link
# scheme) and the `humo-ident` CLI (the bank's without its `emulator` and `demo` commands). The
# two packages conflict: a machine has one or the other.
#
#   scripts/package.sh            both packages
#   scripts/package.sh bank       the bank's only (or: demo)
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || set -- bank demo
bash scripts/setup.sh
out=target/packages
mkdir -p "$out"
# The workspace's version, which Tauri takes for the package's.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
tauri=ui/node_modules/.bin/tauri

for variant in "$@"; do
  case "$variant" in
    bank)
      export HUMO_IDENT_BUILD=bank
      cli_features=(--no-default-features --features native-camera)
      app_features=(--features native-camera,custom-protocol -- --no-default-features)
      overrides='{}'
      name=humo-ident
      ;;
    demo)
      unset HUMO_IDENT_BUILD
      cli_features=()
      app_features=(--features custom-protocol)
      # Its own name and identifier, so it is never mistaken for the bank's; it replaces it.
      overrides='{"productName": "Humo Ident Demo", "identifier": "tj.humo.ident.demo",
        "bundle": {"linux": {"deb": {"conflicts": ["humo-ident"], "replaces": ["humo-ident"]}}}}'
      name=humo-ident-demo
      ;;
    *)
      echo "unknown package '$variant' (bank or demo)" >&2
      exit 2
      ;;
  esac
  echo "-- $name: the CLI" >&2
  cargo build --release --locked -p humo-ident-cli "${cli_features[@]}"
  echo "-- $name: the app and its package" >&2
  rm -rf target/release/bundle/deb
  "$tauri" build --bundles deb --config "$overrides" "${app_features[@]}"
  built=$(find target/release/bundle/deb -maxdepth 1 -name '*.deb' | head -n 1)
  # Tauri names the file after the product name, space included; a package's file is not.
  mv "$built" "$out/${name}_${version}_amd64.deb"
done

echo >&2
for package in "$out"/*.deb; do
  printf '%s  %s\n' "$(du -h "$package" | cut -f1)" "$package"
done
