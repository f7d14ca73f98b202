#!/usr/bin/env bash
# Fails when a Windows executable imports a DLL that a stock Windows 10 lacks
# (scripts/windows-dlls.txt), naming it: such a DLL would have to ship beside the .exe.
#
# Usage: scripts/windows-imports.sh EXE [ROOT]   (ROOT: the Windows build root, for its objdump)
set -euo pipefail
cd "$(dirname "$0")/.."
exe=$1
root=${2:-}
objdump=x86_64-w64-mingw32-objdump
if [ -n "$root" ]; then objdump="$root/usr/bin/$objdump"; fi
[ -f "$exe" ] || { echo "no executable at $exe" >&2; exit 1; }

imports=$("$objdump" -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
[ -n "$imports" ] || { echo "no import table read from $exe" >&2; exit 1; }
allowed=$(grep -v -e '^#' -e '^$' scripts/windows-dlls.txt | sort -u)
missing=$(comm -23 <(grep -v -e '^api-ms-win-' -e '^ext-ms-win-' <<<"$imports") <(echo "$allowed"))
echo "$(basename "$exe") imports: $(tr '\n' ' ' <<<"$imports")" >&2
if [ -n "$missing" ]; then
  echo "$(basename "$exe") imports DLLs a stock Windows 10 lacks: $(tr '\n' ' ' <<<"$missing")" >&2
  exit 1
fi
