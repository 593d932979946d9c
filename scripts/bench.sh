#!/usr/bin/env bash
# make bench: release build, then scripts/bench.py (generated data, timed nights, the I/O floor).
# make bench-years (scripts/bench.sh --years): release build, then scripts/bench_years.py
# (hundreds of consecutive nights on one ledger, a portfolio that turns over).
# make bench-shards (scripts/bench.sh --shards): release build, then scripts/bench_shards.py
# (one large night in 1, 2 and 4 shards, on SQLite and, when asked, PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product regua
if [ "${1:-}" = "--years" ]; then
    exec python3 scripts/bench_years.py
fi
if [ "${1:-}" = "--shards" ]; then
    exec python3 scripts/bench_shards.py
fi
exec python3 scripts/bench.py
