#!/usr/bin/env python3
"""The lean-store targets, side by side with the sqlite3 CLI, in one run.

On the English league file (208,028 results; GPL, read from ../shared/data,
never copied into the repository) this measures, for scoreledger and SQLite:
  1. a durable bulk import, whole process (median of --imports runs), with
     peak RSS; SQLite: WAL, synchronous=FULL, one transaction, one index;
  2. bytes on disk per match;
  3. the first table question after an import, and the ones after it;
  4. the 1926-27 Division 2 table as of 1927-01-01, whole process (median of
     --runs runs), against the equivalent GROUP BY in the sqlite3 CLI;
  5. verify (full, and --chain-only) and rebuild, in events per second, with
     peak RSS;
and with --million, on a synthetic 1,000,000-result file: the import, the
open (`head`, whole process), `checkpoint` and `prove`.
Prints the results and a markdown table of target / measured / how.
Usage: scripts/bench_vs_sqlite.py [--csv PATH] [--runs N] [--imports N] [--million]
"""
import argparse, os, platform, shutil, statistics, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--csv", default=os.path.join(root, "../shared/data/eng_league_1888_2024.csv"))
ap.add_argument("--runs", type=int, default=20)
ap.add_argument("--imports", type=int, default=3)
ap.add_argument("--million", action="store_true")
args = ap.parse_args()
csv_path = os.path.abspath(args.csv)
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
bin_ = os.path.join(root, "target/release/scoreledger")
work = tempfile.mkdtemp()
env = dict(os.environ, SCORELEDGER_NOW="2026-11-28T10:00:00Z")
rows = sum(1 for _ in open(csv_path)) - 1


def timed(cmd, db=None, stdin=None):
    """Wall seconds and peak RSS (KiB) of one command, via /usr/bin/time."""
    e = dict(env, SCORELEDGER_DB=db) if db else env
    out = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, env=e, stdin=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{cmd} failed: {out.stderr}")
    wall, rss = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss), out.stdout


def clock(cmd, db=None, stdin_text=None):
    """Wall seconds of one command, measured here (finer than /usr/bin/time)."""
    e = dict(env, SCORELEDGER_DB=db) if db else env
    t = time.perf_counter()
    subprocess.run(cmd, env=e, input=stdin_text, capture_output=True, text=True, check=True)
    return time.perf_counter() - t


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


sql_load = f"""
PRAGMA journal_mode=WAL;
PRAGMA synchronous=FULL;
CREATE TABLE raw(Date TEXT, Season TEXT, home TEXT, visitor TEXT, FT TEXT, hgoal INT, vgoal INT, division TEXT, tier INT, totgoal INT, goaldif INT, result TEXT);
CREATE TABLE results(competition TEXT, season TEXT, stage TEXT, date TEXT, home TEXT, away TEXT, home_goals INT, away_goals INT);
CREATE INDEX results_csd ON results(competition, season, date);
BEGIN;
.import --csv --skip 1 {{csv}} raw
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
standings = [bin_, "standings", "--season", "1926-27", "--stage", "Division 2", "--as-of", "1927-01-01", "--format", "csv"]


def sqlite_import(csv, dest):
    with open(os.path.join(work, "load.sql"), "w") as f:
        f.write(sql_load.replace("{csv}", csv))
    for p in (dest, dest + "-wal", dest + "-shm"):
        if os.path.exists(p):
            os.remove(p)
    with open(os.path.join(work, "load.sql")) as f:
        return timed(["sqlite3", dest], stdin=f)


print(f"machine: {machine()}")
print(f"file: {csv_path} ({rows} results); {args.runs} runs for query medians, {args.imports} imports")
db = os.path.join(work, "eng.db")
sq = os.path.join(work, "eng.sqlite")

# 1-3. Imports, each followed by its first question, then the questions after.
sl_imports, sq_imports, firsts = [], [], []
for i in range(args.imports):
    shutil.rmtree(db, ignore_errors=True)
    sl_imports.append(timed([bin_, "import", csv_path], db=db)[:2])
    firsts.append(clock(standings, db=db))
    sq_imports.append(sqlite_import(csv_path, sq)[:2])
sl_wall = statistics.median(w for w, _ in sl_imports)
sl_rss = max(r for _, r in sl_imports)
sq_wall = statistics.median(w for w, _ in sq_imports)
sq_rss = max(r for _, r in sq_imports)
disk = du(db) / rows
sq_disk = du(sq) / rows
following = statistics.median(clock(standings, db=db) for _ in range(args.runs))
first = statistics.median(firsts)
sq_q = statistics.median(clock(["sqlite3", "-csv", sq, query]) for _ in range(args.runs))
print(f"import: scoreledger {sl_wall:.3f} s (peak RSS {sl_rss / 1024:.0f} MiB), sqlite3 {sq_wall:.3f} s (peak RSS {sq_rss / 1024:.0f} MiB); ratio {sl_wall / sq_wall:.3f}")
print(f"bytes on disk per match: scoreledger {disk:.0f}, sqlite {sq_disk:.0f}")
print(f"table of 1926-27 Division 2 as of 1927-01-01, whole process: scoreledger {following * 1000:.1f} ms, sqlite3 {sq_q * 1000:.1f} ms; ratio {following / sq_q:.2f}")
print(f"first question after an import: {first * 1000:.1f} ms = {first / following:.2f}x the following ones")

# 5. verify and rebuild.
events = int(subprocess.run([bin_, "head"], env=dict(env, SCORELEDGER_DB=db), capture_output=True, text=True).stdout.split()[0])
ver = [timed([bin_, "verify"], db=db)[:2] for _ in range(3)]
chain = [timed([bin_, "verify", "--chain-only"], db=db)[:2] for _ in range(3)]
reb = [timed([bin_, "rebuild"], db=db)[:2] for _ in range(3)]
v_wall, c_wall, r_wall = (statistics.median(w for w, _ in x) for x in (ver, chain, reb))
r_rss = max(r for _, r in reb)
print(f"verify (chain, canonical bytes, derived entries, Merkle): {events} events in {v_wall:.2f} s = {events / v_wall:,.0f} events/s (peak RSS {max(r for _, r in ver) / 1024:.0f} MiB)")
print(f"verify --chain-only: {c_wall:.2f} s = {events / c_wall:,.0f} events/s")
print(f"rebuild: {r_wall:.2f} s = {events / r_wall:,.0f} events/s (peak RSS {r_rss / 1024:.0f} MiB)")

table = [
    ("import of the 208k file, durable", "<= 0.7x sqlite3", f"{sl_wall / sq_wall:.3f}x ({sl_wall:.3f} s vs {sq_wall:.3f} s)", f"median of {args.imports} whole-process imports each"),
    ("peak memory, import and rebuild", "<= 100 MiB", f"import {sl_rss / 1024:.0f} MiB, rebuild {r_rss / 1024:.0f} MiB", "/usr/bin/time %M, largest of the runs"),
    ("disk per match", "<= 300 bytes", f"{disk:.0f} bytes (sqlite {sq_disk:.0f})", "size of the store folder after an import / results"),
    ("1926-27 Division 2 as of 1927-01-01, whole process", "<= 4x sqlite3", f"{following / sq_q:.2f}x ({following * 1000:.1f} ms vs {sq_q * 1000:.1f} ms)", f"median of {args.runs} runs each"),
    ("first query after an import", "<= 2x the following", f"{first / following:.2f}x ({first * 1000:.1f} ms)", f"median of the {args.imports} first questions"),
    ("verify (full)", ">= 1M events/s", f"{events / v_wall:,.0f} events/s", "whole process, median of 3"),
    ("rebuild", ">= 500k events/s", f"{events / r_wall:,.0f} events/s", "whole process, median of 3"),
]

# 6. A synthetic 1,000,000-result archive.
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
    mdb = os.path.join(work, "million.db")
    m_wall, m_rss, _ = timed([bin_, "import", big], db=mdb)
    m_events = int(subprocess.run([bin_, "head"], env=dict(env, SCORELEDGER_DB=mdb), capture_output=True, text=True).stdout.split()[0])
    opened = statistics.median(clock([bin_, "head"], db=mdb) for _ in range(args.runs))
    cp = statistics.median(clock([bin_, "checkpoint"], db=mdb) for _ in range(args.runs))
    pr = statistics.median(clock([bin_, "prove", str(m_events // 2 + 7)], db=mdb) for _ in range(args.runs))
    print(f"1M synthetic: {m_events} events imported in {m_wall:.2f} s (peak RSS {m_rss / 1024:.0f} MiB), {du(mdb) / m_events:.0f} bytes per event; open (head, whole process) {opened * 1000:.1f} ms; checkpoint {cp * 1000:.1f} ms; prove {pr * 1000:.1f} ms (whole process)")
    table += [
        ("1M synthetic results: import", "<= 5 s", f"{m_wall:.2f} s ({m_rss / 1024:.0f} MiB)", "one whole-process import"),
        ("1M synthetic results: open", "<= 20 ms", f"{opened * 1000:.1f} ms", f"`head`, whole process, median of {args.runs}"),
        ("1M synthetic results: checkpoint, prove", "as fast as before", f"{cp * 1000:.1f} ms, {pr * 1000:.1f} ms whole process", "in process: `cargo bench --bench proofs`"),
    ]

print()
print("| figure | target | measured | how |")
print("| --- | --- | --- | --- |")
for row in table:
    print("| " + " | ".join(row) + " |")
shutil.rmtree(work)
