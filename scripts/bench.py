#!/usr/bin/env python3
"""make bench: whole nights timed per stage on generated data, beside the I/O floor.

For each size (titles; customers = titles / 4) it generates the data once (deterministic,
seed 42), then runs the night on an empty ledger and reruns the same night, reading each
run's own stage timings and peak RSS (`regua run --json`). The floor is what the machine
needs just to read the inputs (`cat` to /dev/null) and to write the produced output (`cp -r`
of the published folder): the run can never be faster than that.
Sizes: BENCH_SIZES="100000 1000000 4000000" (default) of the standard mix, and
BENCH_REALISTIC_SIZES="1000000" (default) of `regua generate --mix realistic` (a nosso número on
nine titles in ten, many two-page letters, long accented names and addresses); "" leaves a mix out.
Work folder: BENCH_DIR (default bench/).
First nights per size: BENCH_REPEAT (default 3; the median is reported).
"""
import json, os, platform, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build", "release", "regua")
AS_OF = "2026-11-23"
SIZES = [("standard", int(s)) for s in os.environ.get("BENCH_SIZES", "100000 1000000 4000000").split()] + \
    [("realistic", int(s)) for s in os.environ.get("BENCH_REALISTIC_SIZES", "1000000").split()]
WORK = os.path.abspath(os.environ.get("BENCH_DIR", os.path.join(ROOT, "bench")))
REPEAT = max(1, int(os.environ.get("BENCH_REPEAT", "3")))


def run(args):
    t = time.monotonic()
    p = subprocess.run(args, capture_output=True, text=True)
    return p, time.monotonic() - t


def timed(cmd):
    t = time.monotonic()
    subprocess.run(cmd, shell=True, check=True)
    return time.monotonic() - t


def night(data, state, out, first=True):
    # The 4M-title night sends more than the shipped policy.max_messages (200,000): the first
    # night passes --force (recorded); a rerun must not, or it would replace the night.
    p, wall = run([BIN, "run", "--as-of", AS_OF, "--rules", os.path.join(ROOT, "rules"),
                   "--customers", data + "/customers.csv", "--receivables", data + "/receivables.csv",
                   "--out", out, "--state", state, "--json"] + (["--force"] if first else []))
    if p.returncode not in (0, 1):
        sys.exit(f"regua run failed ({p.returncode}): {p.stderr[-2000:]}")
    return json.loads(p.stdout), wall


def main():
    os.makedirs(WORK, exist_ok=True)
    # Deleting tens of thousands of files just before a run makes ext4 slow to create new ones
    # for a while (its inode allocator skips recently freed inodes one by one), which no real
    # night sees: earlier runs are moved aside now and deleted only after the last measurement.
    trash = os.path.join(WORK, ".trash")
    os.makedirs(trash, exist_ok=True)
    for name in os.listdir(WORK):
        if name.startswith("run-"):
            os.rename(os.path.join(WORK, name), os.path.join(trash, f"{name}-{time.time_ns()}"))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    print(f"machine: {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB, {cpu}; {platform.system()} {platform.release()}")
    sizes = lambda mix: " ".join(str(t) for m, t in SIZES if m == mix)
    print(f"command: make bench (BENCH_SIZES=\"{sizes('standard')}\" BENCH_REALISTIC_SIZES=\"{sizes('realistic')}\" "
          f"BENCH_REPEAT={REPEAT}), release build, as-of {AS_OF}, seed 42\n")
    rows = []
    for mix, titles in SIZES:
        customers = max(1, titles // 4)
        data = os.path.join(WORK, f"data-{titles}" + ("" if mix == "standard" else f"-{mix}"))
        if not os.path.exists(data + "/receivables.csv"):
            p, _ = run([BIN, "generate", "--customers", str(customers), "--titles", str(titles), "--seed", "42",
                        "--as-of", AS_OF, "--out", data, "--mix", mix])
            if p.returncode != 0:
                sys.exit(p.stderr)
        size = os.path.getsize(data + "/customers.csv") + os.path.getsize(data + "/receivables.csv")
        # The first night REPEAT times, each on an empty ledger in a fresh folder: the row shows
        # the run of median wall time (this machine is shared; single runs vary by ±10 %), and
        # all wall times are printed. The rerun repeats that median run's night.
        firsts = []
        for k in range(REPEAT):
            runs = os.path.join(WORK, f"run-{mix}-{titles}-{k}")
            os.makedirs(runs)
            first, wall = night(data, runs + "/regua.sqlite", runs + "/out")
            firsts.append((wall, runs, first))
        walls = sorted(w for w, _, _ in firsts)
        wall1, runs, first = sorted(firsts, key=lambda f: f[0])[len(firsts) // 2]
        print(f"{titles:,} titles ({mix}): first nights {', '.join(f'{w:.2f}' for w in walls)} s")
        rerun, wall2 = night(data, runs + "/regua.sqlite", runs + "/out", first=False)
        read_floor = timed(f"cat {data}/customers.csv {data}/receivables.csv > /dev/null")
        copy = runs + "/copy"
        write_floor = timed(f"cp -r {runs}/out/{AS_OF} {copy} && sync")
        out_bytes = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(f"{runs}/out/{AS_OF}") for f in fs)
        files = sum(len(fs) for _, _, fs in os.walk(f"{runs}/out/{AS_OF}"))
        t = first["timings"]
        rows.append(dict(mix=mix, titles=titles, customers=customers, mb=size / 1e6, out_mb=out_bytes / 1e6, files=files,
                         wall=wall1, rss=t["peak_rss_kib"] / 1024, stages=t["seconds"],
                         rerun=wall2, rerun_rss=rerun["timings"]["peak_rss_kib"] / 1024,
                         floor=read_floor + write_floor, messages=first["summary"]["messages"]["total"],
                         ingest_mbs=size / 1e6 / max(t["seconds"].get("ingest", 1e-9), 1e-9)))
    stages = ["ingest", "ledger", "decide", "render", "write"]
    head = ["mix", "titles", "customers", "input MB", "output MB", "files", "messages"] + [s + " s" for s in stages] + \
        ["first night s", "peak RSS MiB", "titles/s", "ingest MB/s", "rerun s", "rerun RSS MiB", "floor s", "run/floor"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in rows:
        cells = [r["mix"], f"{r['titles']:,}", f"{r['customers']:,}", f"{r['mb']:.1f}", f"{r['out_mb']:.1f}", f"{r['files']:,}",
                 f"{r['messages']:,}"] + [f"{r['stages'].get(s, 0):.2f}" for s in stages] + \
                [f"{r['wall']:.2f}", f"{r['rss']:.0f}", f"{r['titles'] / r['wall']:,.0f}", f"{r['ingest_mbs']:.0f}",
                 f"{r['rerun']:.2f}", f"{r['rerun_rss']:.0f}", f"{r['floor']:.2f}", f"{r['wall'] / max(r['floor'], 1e-9):.1f}"]
        print("| " + " | ".join(cells) + " |")
    shutil.rmtree(trash, ignore_errors=True)


if __name__ == "__main__":
    main()
