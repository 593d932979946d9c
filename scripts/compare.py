#!/usr/bin/env python3
"""Two regua binaries, side by side: their first nights alternate on the same data.

    python3 scripts/compare.py OLD_BINARY NEW_BINARY [RUNS] [DATA_DIR]

The shared machine's load changes within minutes, so two versions are compared with their runs
interleaved (A, B, A, B, ...), each night in a fresh folder with a fresh ledger. Prints, for every
stage of `regua run --json`, the whole run's wall time, its CPU time (user + system) and its peak
RSS, the minimum and the median.
DATA_DIR defaults to bench/data-1000000 (made by `make bench`). COMPARE_RULES=DIR runs both with
another rule book than rules/ (one both builds can read, e.g. `git archive OLD rules | tar -x`). Runs are left in bench/compare/
(delete them some minutes before timing anything: see BENCHMARKS.md on ext4).
"""
import json
import resource
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    binaries = sys.argv[1:3]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 6
    data = sys.argv[4] if len(sys.argv) > 4 else os.path.join(ROOT, "bench", "data-1000000")
    work = os.path.join(ROOT, "bench", "compare", time.strftime("%Y%m%d-%H%M%S"))
    seconds = [{}, {}]
    for i in range(runs):
        for k, binary in enumerate(binaries):
            folder = os.path.join(work, f"{k}-{i}")
            os.makedirs(folder)
            start = time.monotonic()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            p = subprocess.run(
                [binary, "run", "--as-of", "2026-11-23", "--rules", os.environ.get("COMPARE_RULES", os.path.join(ROOT, "rules")),
                 "--customers", os.path.join(data, "customers.csv"),
                 "--receivables", os.path.join(data, "receivables.csv"),
                 "--out", os.path.join(folder, "out"), "--state", os.path.join(folder, "regua.sqlite"), "--json"],
                capture_output=True, text=True)
            wall = time.monotonic() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if p.returncode not in (0, 1):
                sys.exit(f"{binary} failed ({p.returncode}): {p.stderr[-2000:]}")
            timings = json.loads(p.stdout)["timings"]
            for stage, s in timings["seconds"].items():
                seconds[k].setdefault(stage, []).append(s)
            seconds[k].setdefault("wall", []).append(wall)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            seconds[k].setdefault("cpu (user+sys)", []).append(cpu)
            seconds[k].setdefault("peak RSS (MiB)", []).append(timings["peak_rss_kib"] / 1024)
    print(f"{runs} first nights each, alternating, on {data} (min / median, seconds)")
    print(f"| stage | {binaries[0]} | {binaries[1]} |")
    print("|---|---|---|")
    for stage in seconds[0]:
        cells = [f"{min(v[stage]):.2f} / {statistics.median(v[stage]):.2f}" for v in seconds]
        print(f"| {stage} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
