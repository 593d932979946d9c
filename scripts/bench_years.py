#!/usr/bin/env python3
"""make bench-years: hundreds of consecutive nights on one ledger, on a portfolio that turns over.

Night N's receivables are a pure function of N and the seed: titles are issued every night,
paid (mostly around their due date, some late), disputed, promised or never paid; a paid title
leaves the export three days after its payment, an unpaid one 150 days after its due date. The
customers are `regua generate`'s (fixed). Every night runs `regua run --json` on the same ledger;
the script records wall time, the run's own stage timings and peak RSS, and the ledger's size,
and prints them at nights 1, 10, 100, 365 and the last. With BENCH_BASE_BIN (another build's
binary) both builds run the same nights alternately, each on its own ledger, so that the machine's
noise falls on both; the table shows them side by side with their ratio.

BENCH_YEARS_TITLES  titles in the receivables on a night (about; default 20000)
BENCH_YEARS_NIGHTS  consecutive nights (default 400)
BENCH_BIN           the binary measured (default .build/release/regua)
BENCH_BASE_BIN      a binary to compare with (optional)
BENCH_DIR           work folder (default bench/)
BENCH_PRUNE_DAYS    a build that has `regua prune` runs `prune --keep-days N` after each night,
                    outside the timings, as an operator would (default 30; 0: never)
Published folders older than three nights are deleted between nights (outside the timings).
"""
import bisect, datetime, json, os, platform, random, shutil, subprocess, sys, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.abspath(os.environ.get("BENCH_BIN", os.path.join(ROOT, ".build", "release", "regua")))
BASE = os.environ.get("BENCH_BASE_BIN")
LIVE = int(os.environ.get("BENCH_YEARS_TITLES", "20000"))
NIGHTS = int(os.environ.get("BENCH_YEARS_NIGHTS", "400"))
WORK = os.path.abspath(os.environ.get("BENCH_DIR", os.path.join(ROOT, "bench")))
START = datetime.date(2026, 1, 5)
SEED = 42
PRUNE_DAYS = int(os.environ.get("BENCH_PRUNE_DAYS", "30"))
# BENCH_YEARS_LAPS=1: run with --log-level debug and keep each night's laps (every lap in order,
# e.g. the ledger's history read apart from the report's 90-night read), printed at the marks.
LAPS = os.environ.get("BENCH_YEARS_LAPS") == "1"
ISSUES = []  # the titles' issue dates, in order (set once the portfolio is built)


def portfolio(customers):
    """Every title that will ever exist: (issue, due, leave, amount, customer, id, fate...)."""
    rnd = random.Random(SEED)
    titles = []

    def one(seq, issue):
        due = issue + datetime.timedelta(days=rnd.randint(15, 45))
        r = rnd.random()
        t = dict(id=f"Y{seq:09d}", customer=customers[rnd.randrange(len(customers))], issue=issue, due=due,
                 cents=int(rnd.lognormvariate(11.0, 1.0)) + 1000, paid=None, dispute=None, promise=None,
                 nn=f"{seq:011d}" if rnd.random() < 0.4 else "")
        if r < 0.55:
            t["paid"] = due + datetime.timedelta(days=rnd.randint(-10, 4))
        elif r < 0.82:
            t["paid"] = due + datetime.timedelta(days=rnd.randint(5, 75))
        elif r < 0.85:
            t["dispute"] = due + datetime.timedelta(days=rnd.randint(2, 20))
        elif r < 0.89:
            made = due + datetime.timedelta(days=rnd.randint(3, 15))
            t["promise"] = (made, made + datetime.timedelta(days=rnd.randint(5, 20)))
            if rnd.random() < 0.7:
                t["paid"] = t["promise"][1] + datetime.timedelta(days=rnd.randint(-2, 3))
        t["leave"] = (t["paid"] + datetime.timedelta(days=3)) if t["paid"] else due + datetime.timedelta(days=150)
        if t["paid"] and t["paid"] < issue:
            t["paid"] = issue
        return t

    # Calibrate the issuing rate so that about LIVE titles are in a night's export.
    sample = [one(0, START) for _ in range(4000)]
    stay = sum((t["leave"] - t["issue"]).days + 1 for t in sample) / len(sample)
    rate = LIVE / stay
    rnd.seed(SEED)
    seq, acc = 0, 0.0
    day = START - datetime.timedelta(days=240)
    end = START + datetime.timedelta(days=NIGHTS)
    while day <= end:
        acc += rate
        while acc >= 1:
            seq += 1
            titles.append(one(seq, day))
            acc -= 1
        day += datetime.timedelta(days=1)
    return titles


def receivables(titles, night, path):
    rows = ["title_id,customer_id,issue_date,due_date,amount,status,paid_amount,paid_date,promise_date,nosso_numero"]
    # Titles are in issue order and none stays more than 200 days: only that slice can be in the export.
    lo = bisect.bisect_left(ISSUES, night - datetime.timedelta(days=200))
    for t in titles[lo:]:
        if t["issue"] > night:
            break
        if t["leave"] < night:
            continue
        status, paid_amount, paid_date, promise = "open", "", "", ""
        if t["paid"] and t["paid"] <= night:
            status, paid_amount, paid_date = "paid", f"{t['cents'] / 100:.2f}", t["paid"].isoformat()
        elif t["dispute"] and t["dispute"] <= night:
            status = "disputed"
        elif t["promise"] and t["promise"][0] <= night <= t["promise"][1] + datetime.timedelta(days=2):
            status, promise = "promised", t["promise"][1].isoformat()
        rows.append(f"{t['id']},{t['customer']},{t['issue'].isoformat()},{t['due'].isoformat()},{t['cents'] / 100:.2f},"
                    f"{status},{paid_amount},{paid_date},{promise},{t['nn']}")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    return len(rows) - 1


PRUNES = {}


def has_prune(binary):
    if binary not in PRUNES:
        PRUNES[binary] = "  prune " in subprocess.run([binary, "--help"], capture_output=True, text=True).stdout
    return PRUNES[binary]


def night(binary, data, folder, day):
    t = time.monotonic()
    p = subprocess.run([binary, "run", "--as-of", day.isoformat(), "--rules", os.path.join(ROOT, "rules"),
                        "--customers", data + "/customers.csv", "--receivables", data + "/receivables.csv",
                        "--out", folder + "/out", "--state", folder + "/regua.sqlite", "--json"]
                       + (["--log-level", "debug"] if LAPS else []),
                       capture_output=True, text=True)
    wall = time.monotonic() - t
    if p.returncode not in (0, 1):
        sys.exit(f"{binary}: night {day} failed ({p.returncode}): {p.stderr[-2000:]}")
    j = json.loads(p.stdout)
    if PRUNE_DAYS > 0 and has_prune(binary):
        subprocess.run([binary, "prune", "--keep-days", str(PRUNE_DAYS), "--as-of", day.isoformat(), "--out",
                        folder + "/out", "--state", folder + "/regua.sqlite"], check=True, capture_output=True)
    old = day - datetime.timedelta(days=3)
    for name in os.listdir(folder + "/out"):
        if name[:10] < old.isoformat() and not name.startswith("."):
            shutil.rmtree(os.path.join(folder, "out", name))
    laps = next((l.split("laps: ", 1)[1] for l in p.stderr.splitlines() if "laps: " in l), "") if LAPS else ""
    return dict(wall=wall, stages=j["timings"]["seconds"], rss=j["timings"]["peak_rss_kib"] / 1024, laps=laps,
                ledger_mb=os.path.getsize(folder + "/regua.sqlite") / 1e6,
                messages=(j.get("summary") or {}).get("messages", {}).get("total", 0))


def main():
    work = os.path.join(WORK, f"years-{LIVE}")
    shutil.rmtree(work, ignore_errors=True)
    data = os.path.join(work, "data")
    os.makedirs(data)
    p = subprocess.run([BIN, "generate", "--customers", str(max(1, LIVE // 4)), "--titles", "0", "--seed", str(SEED),
                        "--out", data], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(p.stderr)
    customers = [l.split(",", 1)[0] for l in open(data + "/customers.csv").read().splitlines()[1:]]
    titles = portfolio(customers)
    ISSUES.extend(t["issue"] for t in titles)
    builds = [("new", BIN)] + ([("base", os.path.abspath(BASE))] if BASE else [])
    for name, _ in builds:
        os.makedirs(os.path.join(work, name, "out"))
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
    print(f"machine: {os.cpu_count()} cores, {int(mem) // 1024 // 1024} GiB, {cpu}; {platform.system()} {platform.release()}")
    print(f"command: BENCH_YEARS_TITLES={LIVE} BENCH_YEARS_NIGHTS={NIGHTS} make bench-years"
          + (f" (BENCH_BASE_BIN={BASE})" if BASE else "") + f"; nights from {START}, seed {SEED}; "
          + ", ".join(f"{n} {'prunes --keep-days ' + str(PRUNE_DAYS) if PRUNE_DAYS and has_prune(b) else 'no prune'}"
                      for n, b in builds) + "\n")
    results = {name: [] for name, _ in builds}
    log = open(os.path.join(work, "nights.jsonl"), "w")
    for n in range(1, NIGHTS + 1):
        day = START + datetime.timedelta(days=n - 1)
        count = receivables(titles, day, data + "/receivables.csv")
        order = builds if n % 2 else list(reversed(builds))
        for name, binary in order:
            r = night(binary, data, os.path.join(work, name), day)
            r.update(night=n, titles=count)
            results[name].append(r)
            log.write(json.dumps(dict(build=name, **r)) + "\n")
        log.flush()
        if n % 50 == 0:
            print(f"  night {n}: " + ", ".join(f"{k} {v[-1]['wall']:.2f} s, ledger {v[-1]['stages'].get('ledger', 0):.2f} s, "
                                               f"{v[-1]['ledger_mb']:.1f} MB" for k, v in results.items()), flush=True)
    marks = [m for m in (1, 10, 100, 365) if m <= NIGHTS] + ([NIGHTS] if NIGHTS not in (1, 10, 100, 365) else [])
    stages = ["ingest", "ledger", "decide", "render", "write"]
    head = ["night", "build", "titles", "messages"] + [s + " s" for s in stages] + ["wall s", "peak RSS MiB", "ledger MB"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for m in marks:
        for name, _ in builds:
            r = results[name][m - 1]
            print("| " + " | ".join([str(m), name, f"{r['titles']:,}", f"{r['messages']:,}"]
                                    + [f"{r['stages'].get(s, 0):.3f}" for s in stages]
                                    + [f"{r['wall']:.2f}", f"{r['rss']:.0f}", f"{r['ledger_mb']:.1f}"]) + " |")
    if LAPS:
        print()
        for m in marks:
            for name, _ in builds:
                print(f"night {m} {name} laps: {results[name][m - 1]['laps']}")

    def med(xs):
        xs = sorted(xs)
        return xs[len(xs) // 2]

    print()
    for name, _ in builds:
        rs = results[name]
        early = rs[5:15] if len(rs) >= 15 else rs[:1]
        late = rs[-10:]
        for key, get in (("wall", lambda r: r["wall"]), ("ledger stage", lambda r: r["stages"].get("ledger", 0))):
            e, l = med([get(r) for r in early]), med([get(r) for r in late])
            print(f"{name}: {key}, median of nights 6-15 {e:.3f} s, of the last 10 nights {l:.3f} s: "
                  f"last/early = {l / max(e, 1e-9):.2f}")
        growth = [(b["ledger_mb"] - a["ledger_mb"]) for a, b in zip(rs, rs[1:])]
        print(f"{name}: ledger growth per night, median {med(growth) * 1000:.0f} kB; final {rs[-1]['ledger_mb']:.1f} MB")


if __name__ == "__main__":
    main()
