#!/usr/bin/env bash
# Proves a package on a clean Debian system, as a bank's IT meets it: a minimal Debian root
# (debootstrap, from the Debian package registry), the package installed with apt (which must
# resolve every dependency from the package's own metadata), the app started under Xvfb and its
# first screen saved, the `humo-ident:` link scheme registered and a link reaching the app, and
# the package removed without a trace. Not part of the test run: it takes minutes and root.
#
#   scripts/package-smoke.sh [PACKAGE.deb]    default: target/packages/humo-ident_*.deb
#
# The bank's CLI package beside it (humo-ident-cli_*.deb), when there is one, is installed too
# and checks the configuration the app is given.
set -euo pipefail
cd "$(dirname "$0")/.."

package=${1:-$(ls target/packages/humo-ident_*.deb 2>/dev/null | head -n 1)}
[ -f "$package" ] || { echo "no package: build one with scripts/package.sh" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "run as root (debootstrap and chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap; }

shots=docs/screenshots
name=$(dpkg-deb -f "$package" Package)
root=$(mktemp -d /tmp/humo-ident-smoke.XXXXXX)
chmod 0755 "$root"
cleanup() {
  umount -l "$root/proc" 2>/dev/null || true
  umount -R -l "$root/dev" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
in_root() { chroot "$root" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "a minimal Debian 12 root"
started=$(date +%s)
debootstrap --variant=minbase bookworm "$root" http://deb.debian.org/debian >/dev/null
mount -t proc proc "$root/proc"
# With /dev/pts too, so apt can log.
mount --rbind /dev "$root/dev"
mount --make-rslave "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "made in $(($(date +%s) - started)) s"

step "apt-get install ./$(basename "$package")"
cp "$package" "$root/tmp/package.deb"
started=$(date +%s)
in_root apt-get update -qq
# The package with what apt finds it needs, and the tools this check uses (not the app).
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq /tmp/package.deb >/dev/null
echo "installed with its dependencies in $(($(date +%s) - started)) s"
in_root dpkg -L "$name" | grep -E '^/usr/(bin|share/applications)/' | sort
DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq --no-install-recommends \
  xvfb xauth xdg-utils desktop-file-utils imagemagick procps >/dev/null

cli=$(ls "$(dirname "$package")"/humo-ident-cli_*.deb 2>/dev/null | head -n 1 || true)
if [ -n "$cli" ]; then
  step "apt-get install ./$(basename "$cli")"
  cp "$cli" "$root/tmp/cli.deb"
  DEBIAN_FRONTEND=noninteractive in_root apt-get install -y -qq /tmp/cli.deb >/dev/null
  in_root humo-ident --version
fi

# A package whose tree's root is not 0755 would change the system's `/`.
[ "$(stat -c %a "$root")" = 755 ] || { echo "installing changed the permissions of /" >&2; exit 1; }

step "the humo-ident: scheme"
desktop=$(in_root dpkg -L "$name" | grep '^/usr/share/applications/.*\.desktop$')
grep -E '^(Exec|MimeType)=' "$root$desktop"
in_root update-desktop-database /usr/share/applications
handler=$(in_root xdg-mime query default x-scheme-handler/humo-ident)
echo "x-scheme-handler/humo-ident -> $handler"
[ "$handler" = "$(basename "$desktop")" ] || { echo "the scheme is not registered" >&2; exit 1; }

step "the app starts and shows its first screen"
# A bank's configuration, as an administrator would give it (the bank's build refuses to run
# without one).
mkdir -p "$root/root/.config/tj.humo.ident"
printf '[api]\nbase-url = "https://ident.bank.example"\n' >"$root/root/.config/tj.humo.ident/config.toml"
if [ -n "$cli" ]; then
  in_root humo-ident config --check /root/.config/tj.humo.ident/config.toml
fi
in_root sh -c 'Xvfb :7 -screen 0 1280x800x24 >/dev/null 2>&1 &'
sleep 1
in_root sh -c 'DISPLAY=:7 humo-ident-desktop >/tmp/app.log 2>&1 &'
sleep 8
in_root pgrep -a humo-ident-desk
mkdir -p "$shots"
in_root env DISPLAY=:7 import -window root /tmp/first-screen.png
cp "$root/tmp/first-screen.png" "$shots/package-first-screen.png"
echo "saved $shots/package-first-screen.png"

step "a humo-ident:// link reaches the app"
in_root sh -c 'DISPLAY=:7 xdg-open humo-ident://open/05a4ce19-de3c-4d2c-a464-7356dbdbd107 >/dev/null 2>&1 &'
sleep 4
in_root pgrep -af 'humo-ident-desktop humo-ident://open/' ||
  { echo "the link did not reach the app" >&2; exit 1; }
in_root pkill -f humo-ident-desktop || true
in_root pkill Xvfb || true

step "apt-get remove"
removed=("$name")
[ -z "$cli" ] || removed+=(humo-ident-cli)
DEBIAN_FRONTEND=noninteractive in_root apt-get remove -y -qq "${removed[@]}" 2>/dev/null >/dev/null
left=$(in_root sh -c 'ls -d /usr/bin/humo-ident* /usr/share/applications/*umo* /usr/share/icons/hicolor/*/apps/humo-ident* 2>/dev/null' || true)
[ -z "$left" ] || { echo "left behind: $left" >&2; exit 1; }
echo "nothing of the package is left; the user's configuration stays in ~/.config/tj.humo.ident"
step "the package passed"
