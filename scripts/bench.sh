#!/usr/bin/env bash
# make bench: release build, then scripts/bench.py (generated data, timed nights, the I/O floor).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product regua
exec python3 scripts/bench.py
