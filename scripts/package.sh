#!/usr/bin/env bash
# Builds the installable Linux packages, release-optimised, with the Tauri CLI from the UI's npm
# packages (nothing downloaded outside the package registries):
#
#   target/packages/humo-ident_VERSION_amd64.deb        the bank's app: no emulator, no benchmark
#                                                       window, no test hooks
#   target/packages/humo-ident-cli_VERSION_amd64.deb    the bank's `humo-ident` CLI, without its
#                                                       `emulator` and `demo` commands
#   target/packages/humo-ident-demo_VERSION_amd64.deb   the stakeholders' demo, visibly a demo;
#                                                       it replaces the bank's app
#
# The app's package has its menu entry and the `humo-ident:` link scheme. Tauri writes it with
# gzip; it is packed again with xz, which makes it about a third smaller.
#
# With the updater's signing key in the environment (TAURI_SIGNING_PRIVATE_KEY or
# TAURI_SIGNING_PRIVATE_KEY_PATH, and TAURI_SIGNING_PRIVATE_KEY_PASSWORD), each app package gets
# its signature beside it (`.deb.sig`), made for its version, for the update server's manifest
# (docs/DEPLOYMENT.md, "Updates").
#
#   scripts/package.sh            all three
#   scripts/package.sh bank       the bank's two only (or: demo)
set -euo pipefail
cd "$(dirname "$0")/.."

[ $# -gt 0 ] || set -- bank demo
bash scripts/setup.sh
out=target/packages
mkdir -p "$out"
# The workspace's version, which Tauri takes for the package's.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
tauri=ui/node_modules/.bin/tauri

# Packs a package's tree again with xz: $1 the package, $2 where to write it.
repack() {
  local tree
  tree=$(mktemp -d)
  # The tree's root is the system's `/` to dpkg: never mktemp's 0700.
  chmod 0755 "$tree"
  dpkg-deb -R "$1" "$tree"
  dpkg-deb --root-owner-group -Zxz -z9 -b "$tree" "$2" >/dev/null
  rm -rf "$tree"
}

# The bank's CLI, in a package of its own: one static Rust binary.
cli_package() {
  local tree
  tree=$(mktemp -d)
  chmod 0755 "$tree"
  install -D -m 0755 target/release/humo-ident "$tree/usr/bin/humo-ident"
  mkdir -p "$tree/DEBIAN"
  cat >"$tree/DEBIAN/control" <<CONTROL
Package: humo-ident-cli
Version: $version
Architecture: amd64
Maintainer: Humo
Section: misc
Priority: optional
Installed-Size: $(du -sk "$tree/usr" | cut -f1)
Depends: libc6 (>= 2.31), libgcc-s1
Description: Remote identification with the bank from the command line
 humo-ident runs an identification with photos from files or a camera, lists
 the cameras, and checks a configuration file (humo-ident config --check).
 This build has no emulator.
CONTROL
  dpkg-deb --root-owner-group -Zxz -z9 -b "$tree" "$out/humo-ident-cli_${version}_amd64.deb" >/dev/null
  rm -rf "$tree"
}

# Signs the final package file (after the repack: a signature covers exact bytes) for updates.
sign_for_updates() {
  if [ -z "${TAURI_SIGNING_PRIVATE_KEY:-}${TAURI_SIGNING_PRIVATE_KEY_PATH:-}" ]; then
    return
  fi
  "$tauri" signer sign --app-version "$version" "$1" >/dev/null
  echo "signed: $1.sig" >&2
}

for variant in "$@"; do
  case "$variant" in
    bank)
      export HUMO_IDENT_BUILD=bank
      app_features=(--features native-camera,custom-protocol -- --no-default-features)
      overrides='{}'
      name=humo-ident
      ;;
    demo)
      unset HUMO_IDENT_BUILD
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
  if [ "$variant" = bank ]; then
    echo "-- humo-ident-cli" >&2
    cargo build --release --locked -p humo-ident-cli --no-default-features --features native-camera
    cli_package
  fi
  echo "-- $name" >&2
  rm -rf target/release/bundle/deb
  "$tauri" build --bundles deb --config "$overrides" "${app_features[@]}"
  built=$(find target/release/bundle/deb -maxdepth 1 -name '*.deb' | head -n 1)
  # Tauri names the file after the product name, space included; a package's file is not.
  repack "$built" "$out/${name}_${version}_amd64.deb"
  sign_for_updates "$out/${name}_${version}_amd64.deb"
done

echo >&2
for package in "$out"/*.deb; do
  printf '%s  %s\n' "$(du -h "$package" | cut -f1)" "$package"
done
