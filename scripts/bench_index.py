#!/usr/bin/env python3
"""What the stage index costs (BENCHMARKS.md, "The stage index and complete
receipts"): its bytes per event and its cost on import, on the English league
file and on a synthetic 1,000,000-result file; the checkpoint (which computes
the index root); and the receipt of a 380-match season, its size and the time
of `receipt` and `verify-receipt`. Each figure side by side with a binary
built before the index (--base), run alternately.

Usage: scripts/bench_index.py --base OLD_BINARY [--csv PATH] [--runs N] [--million]
  (build both with `cargo build --release`; the new one is target/release,
  with `cargo build --release --example index_cost`)
"""
import argparse, gzip, json, os, resource, shutil, statistics, subprocess, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--base", required=True, help="a scoreledger release binary from before the index")
ap.add_argument("--csv", default=os.path.join(root, "..", "shared", "data", "eng_league_1888_2024.csv"))
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--million", action="store_true")
args = ap.parse_args()
new = os.path.join(root, "target", "release", "scoreledger")
cost = os.path.join(root, "target", "release", "examples", "index_cost")
work = tempfile.mkdtemp(prefix="bench-index-")
env = dict(os.environ, SCORELEDGER_NOW="2026-11-28T10:00:00Z")


def run(binary, argv, db, check=True):
    """Wall time and stdout; the child's CPU time (user + system) in last_cpu[0]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    p = subprocess.run([binary] + argv, env=dict(env, SCORELEDGER_DB=db), capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    last_cpu[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if check and p.returncode != 0:
        raise SystemExit(f"{binary} {argv}: {p.stderr}")
    return wall, p.stdout


last_cpu = [0.0]


def du(path):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def imports(csv, runs, label):
    """Alternating whole-process imports into fresh stores: medians, sizes."""
    walls = {"base": [], "new": []}
    cpus = {"base": [], "new": []}
    sizes = {}
    for i in range(runs):
        for name, binary in (("base", args.base), ("new", new)):
            db = os.path.join(work, f"{label}-{name}-{i}.db")
            wall, _ = run(binary, ["import", csv], db)
            walls[name].append(wall)
            cpus[name].append(last_cpu[0])
            sizes[name] = du(db)
            keep = os.path.join(work, f"{label}-{name}.db")
            if i == runs - 1:
                shutil.move(db, keep)
            else:
                shutil.rmtree(db)
    med = lambda d: {k: statistics.median(v) for k, v in d.items()}
    return med(walls), walls, sizes, med(cpus)


def index_cost(db):
    return json.loads(subprocess.run([cost, db], capture_output=True, text=True, check=True).stdout)


def checkpoint_ms(binary, db):
    return statistics.median(run(binary, ["checkpoint"], db)[0] for _ in range(7)) * 1000


def report(label, csv, runs):
    med, walls, sizes, cpu = imports(csv, runs, label)
    c = index_cost(os.path.join(work, f"{label}-new.db"))
    cps = {n: checkpoint_ms(b, os.path.join(work, f"{label}-{n}.db")) for n, b in (("base", args.base), ("new", new))}
    events = c["events"]
    print(f"## {label}: {events} events, {c['stages']} stages")
    print(f"import, whole process, median of {runs}: before {med['base']:.2f} s, with the index {med['new']:.2f} s "
          f"({(med['new'] / med['base'] - 1) * 100:+.1f}%); runs before {[round(w, 2) for w in walls['base']]}, "
          f"with {[round(w, 2) for w in walls['new']]}")
    print(f"import CPU time (user + system), median of {runs}: before {cpu['base']:.2f} s, with the index {cpu['new']:.2f} s "
          f"({(cpu['new'] / cpu['base'] - 1) * 100:+.1f}%)")
    print(f"index entries: {c['key_bytes'] + c['value_bytes']} bytes ({c['value_bytes']} of lists, {c['listed']} entries): "
          f"{c['bytes_per_event']:.2f} bytes per event; store folder {sizes['base'] / events:.0f} -> {sizes['new'] / events:.0f} bytes per event")
    print(f"index root in process: at the head {c['root_at_head_ms']:.1f} ms, at half the head {c['root_at_half_ms']:.1f} ms, every list hashed {c['every_list_hashed_ms']:.1f} ms")
    print(f"checkpoint, whole process, median of 7: before {cps['base']:.1f} ms, with the index line {cps['new']:.1f} ms")
    print()


def receipts():
    season = os.path.join(root, "tests", "data", "oftxt_2024-25_1-premierleague.txt")
    for name, binary in (("base", args.base), ("new", new)):
        db = os.path.join(work, f"epl-{name}.db")
        run(binary, ["import", season], db)
        key = os.path.join(work, f"log-{name}.key")
        _, vkey = run(binary, ["keygen", "--name", "league.example/epl", "--output", key], db)
        _, cp = run(binary, ["checkpoint", "--sign", key], db)
        cpf = os.path.join(work, f"cp-{name}.txt")
        open(cpf, "w").write(cp)
        out = os.path.join(work, f"r-{name}.json")
        make = [run(binary, ["receipt", "--checkpoint", cpf, "--output", out, "--force"], db)[0] for _ in range(5)]
        check = [run(binary, ["verify-receipt", out, "--key", vkey.strip()], db)[0] for _ in range(5)]
        body = open(out, "rb").read()
        r = json.loads(body)
        paths = sum(len(p["path"]) for p in r["events"]) + len(r.get("index", {}).get("path", []))
        print(f"receipt ({'before' if name == 'base' else 'with the index'}): {len(body):,} bytes "
              f"({len(gzip.compress(body)):,} gzipped), {len(r['events'])} events, {paths} path hashes, "
              f"{len(r['table'])} rows; receipt {statistics.median(make) * 1000:.0f} ms, "
              f"verify-receipt {statistics.median(check) * 1000:.1f} ms (whole process, medians of 5)")


report("English league file", args.csv, args.runs)
if args.million:
    big = os.path.join(work, "million.csv")
    with open(big, "w") as f:
        f.write("Date,Season,home,visitor,FT,hgoal,vgoal,division,tier,totgoal,goaldif,result\n")
        n, season = 0, 1000
        while n < 1_000_000:
            for div in range(1, 5):
                teams = [f"Club {div}-{i:02}" for i in range(20)]
                rot = list(range(1, 20))
                for r in range(38):
                    order = [0] + rot
                    day = f"{season:04d}-{1 + r // 4:02d}-{1 + (r % 4) * 7:02d}"
                    for i in range(10):
                        h, a = order[i], order[19 - i]
                        if r >= 19:
                            h, a = a, h
                        hg, ag = (r + i + season) % 4, (r * i + div) % 3
                        res = "H" if hg > ag else "A" if hg < ag else "D"
                        f.write(f"{day},{season},{teams[h]},{teams[a]},{hg}-{ag},{hg},{ag},{div},{div},{hg + ag},{hg - ag},{res}\n")
                        n += 1
                    rot = rot[-1:] + rot[:-1]
            season += 1
    report("1M synthetic", big, max(1, args.runs - 1))
receipts()
shutil.rmtree(work)
