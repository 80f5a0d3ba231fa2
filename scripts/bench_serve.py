#!/usr/bin/env python3
"""The server under load, side by side with Datasette, in one run.

On the English league file (208,028 results; GPL, read from ../shared/data,
never copied into the repository): imports it into a scoreledger archive and
into SQLite (one table, one index), starts `scoreledger serve` and then
`datasette serve` on loopback, and runs the same bounded load against each
(benches/serve_load.rs): CLIENTS concurrent keep-alive clients ask for the
table of a random division-season as of a random match date of it, REQUESTS
requests in all or CAP seconds, whichever comes first. Datasette answers the
equivalent SQL (2 or 3 points for a win by the era, goal average before
1976-77), as a parameterised query. Before the load, a sample of questions is
asked of both and their (team, points) sets compared, so that both serve the
same tables. Prints the figures and a markdown table for BENCHMARKS.md.

Usage: scripts/bench_serve.py [--csv PATH] [--clients 16] [--requests 20000] [--cap 60]
Needs: pip install datasette (the script says so when it is missing).
"""
import argparse, csv, json, os, platform, random, shutil, subprocess, sys, tempfile, time
import urllib.parse, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--csv", default=os.path.join(root, "../shared/data/eng_league_1888_2024.csv"))
ap.add_argument("--clients", type=int, default=16)
ap.add_argument("--requests", type=int, default=20000)
ap.add_argument("--cap", type=int, default=60)
ap.add_argument("--questions", type=int, default=2000)
args = ap.parse_args()
if shutil.which("datasette") is None:
    sys.exit("datasette is not installed: pip install datasette")
csv_path = os.path.abspath(args.csv)
work = tempfile.mkdtemp()
env = dict(os.environ, SCORELEDGER_NOW="2026-11-28T10:00:00Z")
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
subprocess.run(["cargo", "bench", "--quiet", "--bench", "serve_load", "--no-run"], cwd=root, check=True, capture_output=True)
bin_ = os.path.join(root, "target/release/scoreledger")

SQL_LOAD = """
PRAGMA journal_mode=WAL;
CREATE TABLE raw(Date TEXT, Season TEXT, home TEXT, visitor TEXT, FT TEXT, hgoal INT, vgoal INT, division TEXT, tier INT, totgoal INT, goaldif INT, result TEXT);
CREATE TABLE results(competition TEXT, season TEXT, stage TEXT, date TEXT, home TEXT, away TEXT, home_goals INT, away_goals INT);
CREATE INDEX results_csd ON results(competition, season, stage, date);
BEGIN;
.import --csv --skip 1 {csv} raw
INSERT INTO results SELECT 'English League', Season || '-' || substr('0' || ((Season + 1) % 100), -2), 'Division ' || division, Date, home, visitor, hgoal, vgoal FROM raw;
DROP TABLE raw;
COMMIT;
"""

# The table of one division-season as of a date: the projector's rules for
# the English league (engsoccerdata import): 2 points for a win to 1980-81,
# 3 from 1981-82; goal average to 1975-76, goal difference from 1976-77.
SQL_TABLE = """
WITH m AS (SELECT * FROM results WHERE competition = 'English League' AND season = :season AND stage = :stage AND date <= :as_of),
t AS (SELECT home AS team, home_goals AS gf, away_goals AS ga FROM m UNION ALL SELECT away, away_goals, home_goals FROM m)
SELECT team, COUNT(*) AS played, SUM(gf > ga) AS won, SUM(gf = ga) AS drawn, SUM(gf < ga) AS lost,
       SUM(gf) AS goals_for, SUM(ga) AS goals_against, SUM(gf) - SUM(ga) AS goal_difference,
       SUM(CASE WHEN gf > ga THEN (CASE WHEN :season < '1981' THEN 2 ELSE 3 END) WHEN gf = ga THEN 1 ELSE 0 END) AS points
FROM t GROUP BY team
ORDER BY points DESC,
  CASE WHEN :season < '1976' THEN CAST(SUM(gf) AS REAL) / MAX(SUM(ga), 1) ELSE SUM(gf) - SUM(ga) END DESC,
  SUM(gf) DESC
""".strip()


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    ds = subprocess.run(["datasette", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({model}), {platform.system()} {platform.release()}; {ds}"


def questions():
    """(season label, stage, as_of) of random matches of the file."""
    rows = list(csv.DictReader(open(csv_path)))
    rng = random.Random(1)
    out = []
    for r in rng.sample(rows, args.questions):
        start = int(r["Season"])
        season = f"{start}-{(start + 1) % 100:02d}"
        out.append((season, f"Division {r['division']}", r["Date"]))
    return out


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return json.loads(r.read())


def wait_until_up(url, proc):
    for _ in range(600):
        if proc.poll() is not None:
            sys.exit(f"the server exited: {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except Exception:
            time.sleep(0.1)
    sys.exit(f"{url} did not come up")


def load(base, paths):
    f = os.path.join(work, "paths.txt")
    with open(f, "w") as out:
        out.write("\n".join(paths) + "\n")
    r = subprocess.run(
        ["cargo", "bench", "--quiet", "--bench", "serve_load", "--", base, f,
         str(args.clients), str(args.requests), str(args.cap)],
        cwd=root, check=True, capture_output=True, text=True)
    return json.loads(r.stdout.strip().splitlines()[-1])


def scoreledger_path(season, stage, as_of):
    q = urllib.parse.urlencode({"competition": "English League", "season": season, "stage": stage, "as_of": as_of})
    return f"/api/standings?{q}"


def datasette_path(season, stage, as_of):
    q = urllib.parse.urlencode({"sql": SQL_TABLE, "season": season, "stage": stage, "as_of": as_of, "_shape": "array"})
    return f"/eng.json?{q}"


print(f"machine: {machine()}")
qs = questions()
db = os.path.join(work, "eng.db")
t = time.perf_counter()
subprocess.run([bin_, "import", csv_path], env=dict(env, SCORELEDGER_DB=db), check=True, capture_output=True)
print(f"scoreledger import: {time.perf_counter() - t:.1f} s")
sq = os.path.join(work, "eng.sqlite")
subprocess.run(["sqlite3", sq], input=SQL_LOAD.replace("{csv}", csv_path), text=True, check=True)

results = {}
# scoreledger serve
server = subprocess.Popen([bin_, "serve", "--db", db, "--bind", "127.0.0.1:0"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
base = server.stdout.readline().split()[-1].rstrip("/")
wait_until_up(base + "/api/head", server)
sample_sl = [{(r["team"], r["points"]) for r in get(base + scoreledger_path(*q))["rows"]} for q in qs[:50]]
results["scoreledger serve"] = load(base, [scoreledger_path(*q) for q in qs])
server.terminate()
server.wait()

# Datasette, same machine, same questions.
port = 18000 + os.getpid() % 1000
ds = subprocess.Popen(["datasette", "serve", sq, "-h", "127.0.0.1", "-p", str(port),
                       "--setting", "sql_time_limit_ms", "10000"],
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
dbase = f"http://127.0.0.1:{port}"
wait_until_up(dbase + "/-/versions.json", ds)
sample_ds = [{(r["team"], r["points"]) for r in get(dbase + datasette_path(*q))} for q in qs[:50]]
same = sum(a == b for a, b in zip(sample_sl, sample_ds))
print(f"same tables (team, points) on {same} of {len(sample_sl)} sampled questions")
if same != len(sample_sl):
    bad = next(i for i, (a, b) in enumerate(zip(sample_sl, sample_ds)) if a != b)
    sys.exit(f"the two servers disagree on {qs[bad]}: {sorted(sample_sl[bad] ^ sample_ds[bad])}")
results["Datasette"] = load(dbase, [datasette_path(*q) for q in qs])
ds.terminate()
ds.wait()

for name, r in results.items():
    print(f"{name}: {r['requests']} requests ({r['errors']} errors) in {r['seconds']:.2f} s = "
          f"{r['throughput']:,.0f}/s, p50 {r['p50_ms']:.2f} ms, p99 {r['p99_ms']:.2f} ms")
sl, d = results["scoreledger serve"], results["Datasette"]
print()
print("| server | requests | throughput | p50 | p99 |")
print("| --- | --- | --- | --- | --- |")
for name, r in results.items():
    print(f"| {name} | {r['requests']:,} ({r['errors']} errors) | {r['throughput']:,.0f}/s | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms |")
print(f"\nthroughput ratio {sl['throughput'] / d['throughput']:.1f}x (target >= 5x); scoreledger p99 {sl['p99_ms']:.2f} ms (target < 5 ms)")
shutil.rmtree(work, ignore_errors=True)
