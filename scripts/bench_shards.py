#!/usr/bin/env python3
"""make bench-shards: one night of a large portfolio in 1, 2 and 4 shards on this machine.

For each ledger (SQLite always; PostgreSQL when BENCH_PG_URL names a database, e.g.
postgres://regua@127.0.0.1:5432/regua with the password in PGPASSWORD, or when
BENCH_PG_START=1 and initdb/pg_ctl are installed: a private server in a temporary folder)
and each N in BENCH_SHARDS (default "1 2 4"), the night runs on an empty ledger: N = 1 is the
unsharded night, N > 1 starts the N shard processes at once, as an Indexed Job would on one
node. Reported per run: the night's wall time (start to the last shard's end), the sum and the
largest of the shards' stage times, the largest peak RSS, messages; the ledger stage's cost is
the PostgreSQL ledger's price per night beside SQLite's.
Data: `regua generate --titles BENCH_TITLES (default 4000000) --customers titles/4 --seed 42`
in BENCH_DIR (default bench/). The binary: BENCH_BIN (default .build/release/regua).
"""
import json, os, platform, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release", "regua")))
AS_OF = "2026-11-23"
TITLES = int(os.environ.get("BENCH_TITLES", "4000000"))
SHARDS = [int(s) for s in os.environ.get("BENCH_SHARDS", "1 2 4").split()]
WORK = os.path.abspath(os.environ.get("BENCH_DIR", os.path.join(ROOT, "bench")))
STAGES = ["ingest", "ledger", "decide", "render", "write"]


def generate():
    data = os.path.join(WORK, f"data-{TITLES}")
    if not os.path.exists(data + "/receivables.csv"):
        p = subprocess.run([BIN, "generate", "--customers", str(max(1, TITLES // 4)), "--titles", str(TITLES),
                            "--seed", "42", "--as-of", AS_OF, "--out", data], capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(p.stderr)
    return data


def night(data, state, out, n):
    """Runs the night in n processes at once (n = 1: unsharded); returns wall time and each --json.
    --force: 4M titles send more than the shipped policy.max_messages (200,000); recorded."""
    base = [BIN, "run", "--as-of", AS_OF, "--rules", os.path.join(ROOT, "rules"),
            "--customers", data + "/customers.csv", "--receivables", data + "/receivables.csv",
            "--out", out, "--state", state, "--json", "--force"]
    t = time.monotonic()
    procs = [subprocess.Popen(base + ([] if n == 1 else ["--shard", f"{k}/{n}"]), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for k in range(n)]
    results = []
    for p in procs:
        stdout, stderr = p.communicate()
        if p.returncode not in (0, 1):
            sys.exit(f"regua run failed ({p.returncode}): {stderr[-2000:]}")
        results.append(json.loads(stdout))
    return time.monotonic() - t, results


class PrivatePostgres:
    """initdb + pg_ctl in a temporary folder, on a Unix socket there; run as `nobody` when root."""

    def __init__(self):
        bindir = next((os.path.join("/usr/lib/postgresql", v, "bin") for v in sorted(os.listdir("/usr/lib/postgresql"))
                       if os.path.exists(os.path.join("/usr/lib/postgresql", v, "bin", "initdb"))), None) \
            if os.path.isdir("/usr/lib/postgresql") else None
        if bindir is None:
            sys.exit("BENCH_PG_START=1 needs PostgreSQL (apt-get install postgresql)")
        self.dir = tempfile.mkdtemp(prefix="regua-bench-pg-")
        os.chmod(self.dir, 0o755)
        self.prefix = ["runuser", "-u", "nobody", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(self.dir, "nobody")
        self.bindir, self.data = bindir, os.path.join(self.dir, "data")
        subprocess.run(self.prefix + [bindir + "/initdb", "-D", self.data, "-U", "regua", "--auth=trust", "-E", "UTF8"],
                       check=True, capture_output=True)
        subprocess.run(self.prefix + [bindir + "/pg_ctl", "-D", self.data, "-w", "-l", self.dir + "/log", "-o",
                                      f"-c listen_addresses='' -c unix_socket_directories='{self.dir}' -c fsync=on", "start"],
                       check=True, capture_output=True)
        subprocess.run(self.prefix + [bindir + "/createdb", "-h", self.dir, "-U", "regua", "regua"], check=True)

    def url(self, name):
        subprocess.run(self.prefix + [self.bindir + "/createdb", "-h", self.dir, "-U", "regua", name], check=True)
        return f"postgres://regua@/{name}?host={self.dir}"

    def stop(self):
        subprocess.run(self.prefix + [self.bindir + "/pg_ctl", "-D", self.data, "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    os.makedirs(WORK, exist_ok=True)
    data = generate()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    load = open("/proc/loadavg").read().split()[0]
    print(f"machine: {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB, {cpu}; {platform.system()} "
          f"{platform.release()}; load average {load} at the start")
    print(f"command: make bench-shards (BENCH_TITLES={TITLES} BENCH_SHARDS=\"{' '.join(map(str, SHARDS))}\"), "
          f"release build, as-of {AS_OF}, seed 42\n")
    pg = PrivatePostgres() if os.environ.get("BENCH_PG_START") == "1" else None
    ledgers = [("sqlite", None)]
    if os.environ.get("BENCH_PG_URL") or pg:
        ledgers.append(("postgresql", os.environ.get("BENCH_PG_URL")))
    head = ["ledger", "shards", "messages", "wall s"] + [f"{s} s (sum / max)" for s in STAGES] + ["peak RSS MiB (max)"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    try:
        for ledger, url in ledgers:
            for n in SHARDS:
                folder = os.path.join(WORK, f"shards-{ledger}-{n}")
                shutil.rmtree(folder, ignore_errors=True)
                os.makedirs(folder)
                if ledger == "sqlite":
                    state = folder + "/regua.sqlite"
                else:
                    state = url if url else pg.url(f"bench_{n}_{time.time_ns()}")
                wall, results = night(data, state, folder + "/out", n)
                stage = {s: [r["timings"]["seconds"].get(s, 0) for r in results] for s in STAGES}
                cells = [ledger, str(n), f"{sum(r['summary']['messages']['total'] for r in results):,}", f"{wall:.2f}"] + \
                        [f"{sum(stage[s]):.2f} / {max(stage[s]):.2f}" for s in STAGES] + \
                        [f"{max(r['timings']['peak_rss_kib'] for r in results) / 1024:.0f}"]
                print("| " + " | ".join(cells) + " |", flush=True)
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        if pg:
            pg.stop()


if __name__ == "__main__":
    main()
