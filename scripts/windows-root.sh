#!/usr/bin/env bash
# Makes the Debian unstable root that compiles and tests Humo Ident for Windows
# (scripts/check-windows.sh), once: a later run finds it and only checks it is complete. It lives
# outside the clone (HUMO_IDENT_WINDOWS_ROOT, by default /var/cache/humo-ident/windows-root), so
# a fresh clone on the same machine reuses it; a new machine makes it again (about 2 minutes).
#
# Why a root of its own: rustup cannot add targets here, and Debian 12's Windows standard library
# is Rust 1.63. Debian unstable has rustc and cargo with the standard library's sources (built for
# the target with -Zbuild-std), the mingw-w64 linker, and Wine 10 to run the tests (Debian 12's
# Wine 8 cannot run current Rust programs). Nothing of it is mixed into the machine's own apt
# sources.
set -euo pipefail

root=${HUMO_IDENT_WINDOWS_ROOT:-/var/cache/humo-ident/windows-root}
mirror=${HUMO_IDENT_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What the root holds; a root made from another list is made again.
packages=(rustc cargo rust-src rust-clippy gcc-mingw-w64-x86-64-win32 binutils-mingw-w64-x86-64 ca-certificates wine wine64)
stamp="$root/.humo-ident-root"
want="recipe 1: ${packages[*]}"

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$root"
  exit 0
fi
if [ -f "$stamp" ]; then
  # Made by an earlier recipe: bring its packages up to this one's list.
  echo "updating the Windows build root in $root" >&2
  $sudo chroot "$root" apt-get update -qq
  $sudo chroot "$root" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
  echo "$want" | $sudo tee "$stamp" >/dev/null
  echo "$root"
  exit 0
fi

if ! command -v debootstrap >/dev/null; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq debootstrap
fi
echo "making the Windows build root in $root (once per machine)" >&2
$sudo rm -rf "$root"
$sudo mkdir -p "$(dirname "$root")"
$sudo debootstrap --variant=minbase sid "$root" "$mirror" >&2
# The mirror's unstable Release file can be past its validity date.
echo 'Acquire::Check-Valid-Until "false";' | $sudo tee "$root/etc/apt/apt.conf.d/99humo-ident" >/dev/null
$sudo cp /etc/resolv.conf "$root/etc/resolv.conf"
# The machine's own certificate authorities (a proxy's, for one), or cargo cannot reach the
# registry from inside.
$sudo mkdir -p "$root/usr/local/share/ca-certificates"
if compgen -G "/usr/local/share/ca-certificates/*" >/dev/null; then
  $sudo cp /usr/local/share/ca-certificates/* "$root/usr/local/share/ca-certificates/"
fi
$sudo chroot "$root" apt-get update -qq
$sudo chroot "$root" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${packages[@]}" >&2
$sudo chroot "$root" update-ca-certificates >&2
echo "$want" | $sudo tee "$stamp" >/dev/null
echo "$root"
