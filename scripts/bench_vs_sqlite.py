#!/usr/bin/env python3
"""Side-by-side: scoreledger against SQLite on the English league file.

Runs, in one go on the same machine and file:
  1. bulk import: `scoreledger import` vs the sqlite3 CLI loading the same CSV in one
     transaction, WAL, an index on (competition, season, date);
  2. the table of one season as of a date, whole process, start to answer: the
     scoreledger CLI vs the sqlite3 CLI running a GROUP BY (median of N runs);
  3. `verify --chain-only` and `rebuild` of the whole archive (events per second);
  4. bytes on disk per match and peak RSS of each import.
Usage: scripts/bench_vs_sqlite.py [path/to/eng_league_1888_2024.csv] [runs]
"""
import os, shutil, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
csv_path = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "../shared/data/eng_league_1888_2024.csv"))
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
bin_ = os.path.join(root, "target/release/scoreledger")
work = tempfile.mkdtemp()
db = os.path.join(work, "eng.db")
sq = os.path.join(work, "eng.sqlite")
env = dict(os.environ, SCORELEDGER_DB=db, SCORELEDGER_NOW="2026-11-28T10:00:00Z")
rows = sum(1 for _ in open(csv_path)) - 1

def timed(cmd, stdin=None):
    """Wall seconds and peak RSS (KiB) of one command, via /usr/bin/time."""
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, env=env, stdin=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{cmd} failed: {out.stderr}")
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss)

def du(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)

def median_run(cmd, stdin_text=None):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, env=env, input=stdin_text, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)

sql_load = f"""
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE raw(Date TEXT, Season TEXT, home TEXT, visitor TEXT, FT TEXT, hgoal INT, vgoal INT, division TEXT, tier INT, totgoal INT, goaldif INT, result TEXT);
CREATE TABLE results(competition TEXT, season TEXT, stage TEXT, date TEXT, home TEXT, away TEXT, home_goals INT, away_goals INT);
CREATE INDEX results_csd ON results(competition, season, date);
BEGIN;
.import --csv --skip 1 {csv_path} raw
INSERT INTO results SELECT 'English League', Season || '-' || substr('0' || ((Season + 1) % 100), -2), 'Division ' || division, Date, home, visitor, hgoal, vgoal FROM raw;
DROP TABLE raw;
COMMIT;
"""
query = """
WITH m AS (SELECT * FROM results WHERE competition = 'English League' AND season = '1926-27' AND date <= '1927-01-01' AND stage = 'Division 2'),
t AS (SELECT home AS team, home_goals AS gf, away_goals AS ga FROM m UNION ALL SELECT away, away_goals, home_goals FROM m)
SELECT team, COUNT(*), SUM(gf > ga), SUM(gf = ga), SUM(gf < ga), SUM(gf), SUM(ga), SUM(gf) - SUM(ga),
       SUM(CASE WHEN gf > ga THEN 2 WHEN gf = ga THEN 1 ELSE 0 END) AS pts
FROM t GROUP BY team ORDER BY pts DESC, CAST(SUM(gf) AS REAL) / MAX(SUM(ga), 1) DESC;
"""

print(f"file: {csv_path} ({rows} results); {runs} runs for medians; machine: {os.cpu_count()} cores")
sl_wall, sl_rss = timed([bin_, "import", csv_path])
with open(os.path.join(work, "load.sql"), "w") as f:
    f.write(sql_load)
with open(os.path.join(work, "load.sql")) as f:
    sq_wall, sq_rss = timed(["sqlite3", sq], stdin=f)
print(f"bulk import: scoreledger {sl_wall:.2f} s (peak RSS {sl_rss / 1024:.0f} MiB), sqlite3 {sq_wall:.2f} s (peak RSS {sq_rss / 1024:.0f} MiB); ratio {sl_wall / sq_wall:.1f}")
print(f"bytes on disk per match: scoreledger {du(db) / rows:.0f}, sqlite {du(sq) / rows:.0f}")
sl_q = median_run([bin_, "standings", "--season", "1926-27", "--stage", "Division 2", "--as-of", "1927-01-01", "--format", "csv"])
sq_q = median_run(["sqlite3", "-csv", sq, query])
print(f"table of 1926-27 Division 2 as of 1927-01-01, whole process: scoreledger {sl_q * 1000:.1f} ms, sqlite3 {sq_q * 1000:.1f} ms; ratio {sl_q / sq_q:.2f}")
events = int(subprocess.run([bin_, "head"], env=env, capture_output=True, text=True).stdout.split()[0])
v_wall, v_rss = timed([bin_, "verify", "--chain-only"])
r_wall, r_rss = timed([bin_, "rebuild"])
print(f"verify --chain-only: {events} events in {v_wall:.2f} s = {events / v_wall:,.0f} events/s (peak RSS {v_rss / 1024:.0f} MiB)")
print(f"rebuild: {events} events in {r_wall:.2f} s = {events / r_wall:,.0f} events/s (peak RSS {r_rss / 1024:.0f} MiB)")
shutil.rmtree(work)
