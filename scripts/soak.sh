#!/usr/bin/env bash
# The chaos soak: FLOWS complete identifications (default 500) through the core's driver and the
# app's session against the in-process emulator, every request drawing a fault at random from
# SEED (default 1). Fails when a flow is stuck, a panic happens, a photo is sent more often than
# it was asked to, two polls of a task overlap, a token shows in an event or log line, or the
# resident memory at the end is more than 10 % above what it was after 50 flows.
# Figures: docs/RELIABILITY.md. Extra options go to the binary (`--parallel`, `--fault-rate`).
#
# Usage: scripts/soak.sh [FLOWS] [SEED] [OPTIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."

flows=${1:-500}
seed=${2:-1}
shift $(($# > 2 ? 2 : $#))
# The same build as scripts/test.sh's, so after the tests nothing compiles again.
cargo xtask build workspace
exec target/debug/humo-ident-soak "$flows" "$seed" "$@"
