#!/usr/bin/env python3
"""Issue 24's figures at 10 million events, side by side with the sqlite3 CLI.

Generates a synthetic file of N results (default 10,000,000) in the English
CSV form (not committed; written to a temporary folder), then measures, on
the same machine in one run:
  1. the durable import, whole process, scoreledger and sqlite3 (WAL,
     synchronous=FULL, one transaction, one index), wall and peak RSS;
  2. bytes on disk per match;
  3. open (`head`, whole process, median of --runs);
  4. one stage's table (whole process, median of --runs) at N and on the
     208k English archive (the same question of one division-season);
  5. `verify` and `rebuild` in events per second, with peak RSS;
  6. `checkpoint`, `prove` and a table receipt at N and at 208k;
  7. `serve` under the same bounded load at N and at 208k (benches/serve_load.rs:
     --clients keep-alive clients ask for the table of a random
     division-season as of a random date of it, --requests in all).
Prints each figure and a markdown table of target / measured / how.
Usage: scripts/bench_10m.py [--n N] [--runs K] [--csv ENGLISH_CSV]
"""
import argparse, csv as csv_mod, json, os, platform, random, shutil, statistics, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--n", type=int, default=10_000_000)
ap.add_argument("--runs", type=int, default=5)
ap.add_argument("--csv", default=os.path.join(root, "../shared/data/eng_league_1888_2024.csv"))
ap.add_argument("--clients", type=int, default=16)
ap.add_argument("--requests", type=int, default=20000)
args = ap.parse_args()
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
subprocess.run(["cargo", "bench", "--quiet", "--bench", "serve_load", "--no-run"], cwd=root, check=True, capture_output=True)
bin_ = os.path.join(root, "target/release/scoreledger")
work = tempfile.mkdtemp(dir=os.environ.get("BENCH_DIR"))
env = dict(os.environ, SCORELEDGER_NOW="2026-11-28T10:00:00Z")


def timed(cmd, db=None, stdin=None):
    """Wall seconds, peak RSS (KiB) and stdout of one command."""
    e = dict(env, SCORELEDGER_DB=db) if db else env
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, env=e, stdin=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{cmd} failed: {out.stderr[-2000:]}")
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss), out.stdout


def clock(cmd, db=None):
    e = dict(env, SCORELEDGER_DB=db) if db else env
    t = time.perf_counter()
    subprocess.run(cmd, env=e, capture_output=True, text=True, check=True)
    return time.perf_counter() - t


def median_clock(cmd, db=None):
    return statistics.median(clock(cmd, db) for _ in range(args.runs))


def du(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    sqlite = subprocess.run(["sqlite3", "--version"], capture_output=True, text=True).stdout.split()[0]
    mem = int(next(l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal"))) // 1024 // 1024
    return f"{os.cpu_count()} cores ({model}), {mem} GiB, {platform.system()} {platform.release()}; {rustc}; sqlite3 {sqlite}"


def synthetic(path, n):
    """n results: seasons of four 20-team divisions, double round robins."""
    with open(path, "w") as f:
        f.write("Date,Season,home,visitor,FT,hgoal,vgoal,division,tier,totgoal,goaldif,result\n")
        done, season = 0, 1000
        while done < n:
            for div in range(1, 5):
                teams = [f"Club {div}-{i:02}" for i in range(20)]
                rot = list(range(1, 20))
                for r in range(38):
                    order = [0] + rot
                    day = f"{season:04d}-{1 + r // 4:02d}-{1 + (r % 4) * 7:02d}"
                    rows = []
                    for i in range(10):
                        h, a = order[i], order[19 - i]
                        if r >= 19:
                            h, a = a, h
                        hg, ag = (r + i + season) % 4, (r * i + div) % 3
                        res = "H" if hg > ag else "A" if hg < ag else "D"
                        rows.append(f"{day},{season},{teams[h]},{teams[a]},{hg}-{ag},{hg},{ag},{div},{div},{hg + ag},{hg - ag},{res}\n")
                    f.write("".join(rows))
                    done += 10
                    rot = rot[-1:] + rot[:-1]
            season += 1
    return season - 1


sql_load = """
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE raw(Date TEXT, Season TEXT, home TEXT, visitor TEXT, FT TEXT, hgoal INT, vgoal INT, division TEXT, tier INT, totgoal INT, goaldif INT, result TEXT);
CREATE TABLE results(competition TEXT, season TEXT, stage TEXT, date TEXT, home TEXT, away TEXT, home_goals INT, away_goals INT);
CREATE INDEX results_csd ON results(competition, season, date);
BEGIN;
.import --csv --skip 1 {csv} raw
INSERT INTO results SELECT 'English League', Season || '-' || substr('0' || ((Season + 1) % 100), -2), 'Division ' || division, Date, home, visitor, hgoal, vgoal FROM raw;
DROP TABLE raw;
COMMIT;
"""


def sqlite_import(csv, dest):
    script = os.path.join(work, "load.sql")
    with open(script, "w") as f:
        f.write(sql_load.replace("{csv}", csv))
    with open(script) as f:
        return timed(["sqlite3", dest], stdin=f)


def table_question(season, stage):
    return [bin_, "standings", "--competition", "English League", "--season", season, "--stage", stage, "--format", "csv"]


def trust_figures(db, stage_args):
    """checkpoint, prove and a receipt of one stage, whole process (ms)."""
    key = os.path.join(work, "log.key")
    if not os.path.exists(key):
        subprocess.run([bin_, "keygen", "--name", "bench.example/log", "--output", key], env=env, capture_output=True, check=True)
    cp_file = os.path.join(work, "cp.txt")
    with open(cp_file, "w") as f:
        f.write(subprocess.run([bin_, "checkpoint", "--sign", key], env=dict(env, SCORELEDGER_DB=db), capture_output=True, text=True, check=True).stdout)
    head = int(subprocess.run([bin_, "head"], env=dict(env, SCORELEDGER_DB=db), capture_output=True, text=True).stdout.split()[0])
    cp = median_clock([bin_, "checkpoint"], db)
    pr = median_clock([bin_, "prove", str(head // 2 + 7)], db)
    out = os.path.join(work, "r.json")
    rc = median_clock([bin_, "receipt", "--checkpoint", cp_file, "--output", out, "--force"] + stage_args, db)
    return cp * 1000, pr * 1000, rc * 1000


def standings_path(season, stage, as_of):
    q = urllib.parse.urlencode({"competition": "English League", "season": season, "stage": stage, "as_of": as_of})
    return f"/api/standings?{q}"


def serve_figures(db, paths):
    """The bounded load against `scoreledger serve` on `db`: serve_load's JSON."""
    server = subprocess.Popen([bin_, "serve", "--db", db, "--bind", "127.0.0.1:0"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    base = server.stdout.readline().split()[-1].rstrip("/")
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/api/head", timeout=1).read()
            break
        except Exception:
            time.sleep(0.1)
    f = os.path.join(work, "paths.txt")
    with open(f, "w") as out:
        out.write("\n".join(paths) + "\n")
    r = subprocess.run(["cargo", "bench", "--quiet", "--bench", "serve_load", "--", base, f,
                        str(args.clients), str(args.requests), "60"],
                       cwd=root, check=True, capture_output=True, text=True)
    server.terminate()
    server.wait()
    return json.loads(r.stdout.strip().splitlines()[-1])


def eng_paths(csv_path, n=2000):
    rows = list(csv_mod.DictReader(open(csv_path)))
    rng = random.Random(1)
    out = []
    for r in rng.sample(rows, n):
        start = int(r["Season"])
        out.append(standings_path(f"{start}-{(start + 1) % 100:02d}", f"Division {r['division']}", r["Date"]))
    return out


def synthetic_paths(last, n=2000):
    """Random division-seasons of the synthetic file, as of one of their dates."""
    rng = random.Random(1)
    out = []
    for _ in range(n):
        season, div, r = rng.randrange(1000, last), rng.randrange(1, 5), rng.randrange(38)
        day = f"{season:04d}-{1 + r // 4:02d}-{1 + (r % 4) * 7:02d}"
        out.append(standings_path(f"{season}-{(season + 1) % 100:02d}", f"Division {div}", day))
    return out


print(f"machine: {machine()}")
# The 208k English archive, for the ratios that compare the two sizes.
eng_db = os.path.join(work, "eng.db")
timed([bin_, "import", args.csv], db=eng_db)
eng_table = median_clock(table_question("1926-27", "Division 2"), eng_db)
eng_trust = trust_figures(eng_db, ["--competition", "English League", "--season", "1926-27", "--stage", "Division 2"])
print(f"208k English: table {eng_table * 1000:.1f} ms; checkpoint {eng_trust[0]:.1f} ms, prove {eng_trust[1]:.1f} ms, receipt {eng_trust[2]:.1f} ms")
eng_serve = serve_figures(eng_db, eng_paths(args.csv))
print(f"208k English serve: {eng_serve['throughput']:,.0f}/s, p50 {eng_serve['p50_ms']:.2f} ms, p99 {eng_serve['p99_ms']:.2f} ms ({eng_serve['errors']} errors)")

big = os.path.join(work, "big.csv")
t = time.perf_counter()
last = synthetic(big, args.n)
rows = sum(1 for _ in open(big)) - 1
print(f"synthetic file: {rows:,} results, seasons 1000 to {last}, {du(big) / 2**20:.0f} MiB, made in {time.perf_counter() - t:.0f} s")
db = os.path.join(work, "big.db")
sq = os.path.join(work, "big.sqlite")
sl_wall, sl_rss, _ = timed([bin_, "import", big], db=db)
sq_wall, sq_rss, _ = sqlite_import(big, sq)
events = int(subprocess.run([bin_, "head"], env=dict(env, SCORELEDGER_DB=db), capture_output=True, text=True).stdout.split()[0])
disk, sq_disk = du(db) / rows, du(sq) / rows
print(f"import: scoreledger {sl_wall:.1f} s (peak RSS {sl_rss / 1024:.0f} MiB), sqlite3 {sq_wall:.1f} s (peak RSS {sq_rss / 1024:.0f} MiB); ratio {sl_wall / sq_wall:.2f}")
print(f"bytes on disk per match: scoreledger {disk:.0f}, sqlite {sq_disk:.0f}")
first_open = clock([bin_, "head"], db)
opened = median_clock([bin_, "head"], db)
print(f"open (head): first after the import {first_open * 1000:.1f} ms, then median {opened * 1000:.1f} ms")
mid = 1000 + (last - 1000) // 2
season = f"{mid}-{(mid + 1) % 100:02d}"
big_table = median_clock(table_question(season, "Division 2"), db)
print(f"one stage's table at {events:,} events: {big_table * 1000:.1f} ms vs {eng_table * 1000:.1f} ms at 208k ({big_table / eng_table:.2f}x)")
passes = min(3, args.runs)


def median_pass(cmd):
    """The median wall of `passes` whole-process runs, and the highest peak RSS."""
    runs = [timed([bin_, cmd], db=db) for _ in range(passes)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


ver_wall, ver_rss = median_pass("verify")
reb_wall, reb_rss = median_pass("rebuild")
print(f"verify: {events / ver_wall:,.0f} events/s ({ver_wall:.1f} s, peak RSS {ver_rss / 1024:.0f} MiB)")
print(f"rebuild: {events / reb_wall:,.0f} events/s ({reb_wall:.1f} s, peak RSS {reb_rss / 1024:.0f} MiB)")
reopened = median_clock([bin_, "head"], db)
print(f"open (head) after {passes} rebuilds: {reopened * 1000:.1f} ms, store {du(db) / 2**30:.1f} GiB")
big_trust = trust_figures(db, ["--competition", "English League", "--season", season, "--stage", "Division 2"])
print(f"at {events:,}: checkpoint {big_trust[0]:.1f} ms, prove {big_trust[1]:.1f} ms, receipt {big_trust[2]:.1f} ms")
big_serve = serve_figures(db, synthetic_paths(last))
print(f"serve at {events:,}: {big_serve['throughput']:,.0f}/s, p50 {big_serve['p50_ms']:.2f} ms, p99 {big_serve['p99_ms']:.2f} ms ({big_serve['errors']} errors)")

rows_md = [
    ("import", "<= 0.7x sqlite3", f"{sl_wall / sq_wall:.2f}x ({sl_wall:.1f} s vs {sq_wall:.1f} s)", "one whole-process import each"),
    ("import peak RSS", "<= 200 MiB", f"{sl_rss / 1024:.0f} MiB (sqlite3 {sq_rss / 1024:.0f} MiB)", "/usr/bin/time %M"),
    ("disk per match", "<= 300 bytes", f"{disk:.0f} bytes (sqlite {sq_disk:.0f})", "store folder / results"),
    ("open (head)", "<= 50 ms", f"{opened * 1000:.1f} ms (first after import {first_open * 1000:.0f} ms; after {passes} rebuilds {reopened * 1000:.1f} ms)", f"whole process, median of {args.runs}"),
    ("one stage's table", "<= 1.5x the 208k figure", f"{big_table / eng_table:.2f}x ({big_table * 1000:.1f} ms vs {eng_table * 1000:.1f} ms)", f"whole process, median of {args.runs}"),
    ("verify", ">= 1M events/s, <= 200 MiB", f"{events / ver_wall:,.0f} events/s, {ver_rss / 1024:.0f} MiB", f"whole process, median of {passes}, highest RSS"),
    ("rebuild", ">= 1M events/s, <= 200 MiB", f"{events / reb_wall:,.0f} events/s, {reb_rss / 1024:.0f} MiB", f"whole process, median of {passes}, highest RSS"),
    ("serve: standings", "throughput within 10% of 208k, p99 < 5 ms", f"{big_serve['throughput']:,.0f}/s ({big_serve['throughput'] / eng_serve['throughput']:.2f}x the 208k {eng_serve['throughput']:,.0f}/s), p99 {big_serve['p99_ms']:.2f} ms (208k {eng_serve['p99_ms']:.2f} ms)", f"{args.clients} clients, {args.requests} requests each size"),
    ("checkpoint / prove / receipt", "within 20% of 208k", f"{big_trust[0]:.1f} / {big_trust[1]:.1f} / {big_trust[2]:.1f} ms vs {eng_trust[0]:.1f} / {eng_trust[1]:.1f} / {eng_trust[2]:.1f} ms", f"whole process, median of {args.runs}"),
]
print()
print("| figure | target | measured | how |")
print("| --- | --- | --- | --- |")
for r in rows_md:
    print("| " + " | ".join(r) + " |")
shutil.rmtree(work)
