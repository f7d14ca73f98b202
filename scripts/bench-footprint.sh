#!/usr/bin/env bash
# The release build's footprint, beside a blank window of the same binary (Tauri and WebKit
# alone), all from one run:
#   - start to the first screen drawn (the app's start screen with its "Open" button; the blank
#     window's empty page), median of RUNS (default 5), each start cold when this user may drop
#     the page cache (root), warm otherwise (the output says which);
#   - resident memory of the app and its WebKit processes at the first screen, and for the app
#     during a camera step's preview (the synthetic camera), with the ratio to the blank window;
#   - the binary's and the packages' sizes.
# The app runs in demo mode (the emulator in-process), which is what a build with the benchmark
# in it is: the bank's build has no benchmark. Xvfb at 1280x800.
#
#   scripts/bench-footprint.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

# The starts run on a display of their own (`cargo xtask xvfb`), this script again inside it.
if [ "${1:-}" != --on-display ]; then
  bash scripts/setup.sh --test >&2
  cargo xtask build app --release >&2
  exec cargo xtask xvfb bash "$0" --on-display "${1:-5}"
fi
runs=$2
binary=target/release/humo-ident-desktop

if [ -w /proc/sys/vm/drop_caches ]; then start_kind=cold; else start_kind=warm; fi
results=$(mktemp)
for run in $(seq "$runs"); do
  for mode in blank app; do
    if [ "$start_kind" = cold ]; then
      sync
      echo 3 >/proc/sys/vm/drop_caches
    fi
    started=$(date +%s%3N)
    line=$("$binary" --bench-footprint "$mode" 2>/dev/null | tail -n 1)
    echo "{\"startedAtEpochMs\": $started, \"figures\": $line}" >>"$results"
    echo "run $run, $mode: $line" >&2
  done
done

python3 - "$results" "$start_kind" "$runs" "$binary" <<'PY'
import glob, json, os, statistics, sys

results, start_kind, runs, binary = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows = {"blank": [], "app": []}
for line in open(results):
    run = json.loads(line)
    figures = run["figures"]
    figures["startedAtEpochMs"] = run["startedAtEpochMs"]
    figures["startMs"] = figures["drawnAtEpochMs"] - run["startedAtEpochMs"]
    rows[figures["mode"]].append(figures)

def median(mode, pick):
    return statistics.median(pick(r) for r in rows[mode])

print(f"Release build, demo mode, Xvfb 1280x800, {runs} {start_kind} starts of each (medians).")
print()
print("| | blank window | app: start screen | app: camera preview |")
print("|---|---|---|---|")
blank_start = median("blank", lambda r: r["startMs"])
app_start = median("app", lambda r: r["startMs"])
print(f"| start to first screen drawn | {blank_start:.0f} ms | {app_start:.0f} ms "
      f"({app_start / blank_start:.2f}x) | |")
for label, key in [("resident, app process", "appMb"), ("resident, WebKit processes", "webMb"),
                   ("resident, all", "totalMb"), ("proportional (PSS), all", "pssMb")]:
    blank = median("blank", lambda r: r["startScreen"][key])
    app = median("app", lambda r: r["startScreen"][key])
    preview = median("app", lambda r: r["preview"][key])
    print(f"| {label} | {blank:.0f} MB | {app:.0f} MB ({app / blank:.2f}x) | "
          f"{preview:.0f} MB ({preview / blank:.2f}x) |")
print()
print("Where the start goes (ms from the start of the process, medians):")
print()
print("| point | blank window | app |")
print("|---|---|---|")
names = []
for r in rows["app"] + rows["blank"]:
    for name in r.get("marksEpochMs", {}):
        if name not in names:
            names.append(name)
names.sort(key=lambda name: median("app", lambda r: r["marksEpochMs"].get(name, 0)) or 1e18)
def point(mode, name):
    values = [r["marksEpochMs"][name] - r["startedAtEpochMs"] for r in rows[mode]
              if name in r.get("marksEpochMs", {})]
    return f"{statistics.median(values):.0f}" if values else ""
for name in names:
    print(f"| {name} | {point('blank', name)} | {point('app', name)} |")
print(f"| first screen drawn | {blank_start:.0f} | {app_start:.0f} |")
print()
print("starts (ms), blank:", [r["startMs"] for r in rows["blank"]],
      "app:", [r["startMs"] for r in rows["app"]])
print()
print("| file | size |")
print("|---|---|")
for path in [binary] + sorted(glob.glob("target/packages/*.deb")):
    print(f"| `{path}` | {os.path.getsize(path) / 1e6:.1f} MB ({os.path.getsize(path)} bytes) |")
PY
rm -f "$results"
