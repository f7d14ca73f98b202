#!/usr/bin/env bash
# Fails when a Windows executable imports a DLL that a stock Windows 10 lacks
# (scripts/windows-dlls.txt), naming it: such a DLL would have to ship beside the .exe.
#
# Usage: scripts/windows-imports.sh EXE   (run inside the Windows build root, whose mingw-w64
# objdump reads the import table; scripts/check-windows.sh runs it there)
set -euo pipefail
cd "$(dirname "$0")/.."
exe=$1
objdump=x86_64-w64-mingw32-objdump
[ -f "$exe" ] || { echo "no executable at $exe" >&2; exit 1; }

imports=$("$objdump" -p "$exe" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u)
[ -n "$imports" ] || { echo "no import table read from $exe" >&2; exit 1; }
allowed=$(grep -v -e '^#' -e '^$' scripts/windows-dlls.txt | sort -u)
missing=$(comm -23 <(grep -v -e '^api-ms-win-' -e '^ext-ms-win-' <<<"$imports") <(echo "$allowed"))
echo "$(basename "$exe") imports: $(tr '\n' ' ' <<<"$imports")" >&2
# A DLL the build put beside the .exe is one a package must ship: the GNU build's
# WebView2Loader.dll (the release workflow's MSVC build links WebView2's loader statically).
# Any other is missing.
beside=$(ls "$(dirname "$exe")" | tr 'A-Z' 'a-z')
lacking=()
for dll in $missing; do
  if grep -qxF "$dll" <<<"$beside"; then
    echo "$dll is not Windows' own: the build put it beside the .exe, and a package must ship it" >&2
  else
    lacking+=("$dll")
  fi
done
if [ ${#lacking[@]} -gt 0 ]; then
  echo "$(basename "$exe") imports DLLs a stock Windows 10 lacks: ${lacking[*]}" >&2
  exit 1
fi
echo "$(basename "$exe"): every DLL it imports is Windows 10's own or beside it" >&2
