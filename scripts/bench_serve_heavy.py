#!/usr/bin/env python3
"""Small questions under heavy ones: the latency of GET /api/head while 48
clients ask heavy questions at once, on loopback.

On the English league file (208,028 results; read from ../shared/data,
never copied into the repository): imports it into a scoreledger archive,
starts `scoreledger serve`, and runs two bounded loads at the same time
(benches/serve_load.rs): HEAVY clients (48) asking heavy questions in turn
(a whole season's results, a division-season's report and chart, a page of
10,000 events), and HEAD clients (2) asking GET /api/head, both for CAP
seconds. First GET /api/head alone, for a baseline. Prints the figures and
a markdown table for BENCHMARKS.md.

Usage: scripts/bench_serve_heavy.py [--csv PATH] [--heavy 48] [--head 2] [--cap 20] [--bin PATH]
"""
import argparse, csv, json, os, random, subprocess, sys, tempfile, time, shutil
import urllib.parse, urllib.request

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--csv", default=os.path.join(root, "../shared/data/eng_league_1888_2024.csv"))
ap.add_argument("--heavy", type=int, default=48)
ap.add_argument("--head", type=int, default=2)
ap.add_argument("--cap", type=int, default=20)
ap.add_argument("--bin", help="a scoreledger binary to measure (default: this tree's release build)")
args = ap.parse_args()
csv_path = os.path.abspath(args.csv)
work = tempfile.mkdtemp()
env = dict(os.environ, SCORELEDGER_NOW="2026-11-28T10:00:00Z")
subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=root, check=True)
subprocess.run(["cargo", "bench", "--quiet", "--bench", "serve_load", "--no-run"], cwd=root,
               check=True, capture_output=True)
bin_ = args.bin or os.path.join(root, "target/release/scoreledger")


def heavy_paths():
    """Heavy questions of random seasons and division-seasons of the file."""
    rows = list(csv.DictReader(open(csv_path)))
    rng = random.Random(1)
    out = []
    for r in rng.sample(rows, 200):
        start = int(r["Season"])
        season = f"{start}-{(start + 1) % 100:02d}"
        scope = {"competition": "English League", "season": season}
        stage = dict(scope, stage=f"Division {r['division']}")
        out.append("/api/results?" + urllib.parse.urlencode(scope))
        out.append("/api/report.html?" + urllib.parse.urlencode(stage))
        out.append("/api/chart.svg?" + urllib.parse.urlencode(stage))
        out.append(f"/api/events?after={rng.randrange(len(rows) - 10000)}&limit=10000")
    return out


def load(base, paths, clients, requests, cap):
    f = os.path.join(work, f"paths-{len(paths)}-{clients}.txt")
    with open(f, "w") as out:
        out.write("\n".join(paths) + "\n")
    return subprocess.Popen(
        ["cargo", "bench", "--quiet", "--bench", "serve_load", "--", base, f,
         str(clients), str(requests), str(cap)],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def result(proc):
    out, _ = proc.communicate()
    return json.loads(out.strip().splitlines()[-1])


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


model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"machine: {os.cpu_count()} cores ({model})")
db = os.path.join(work, "eng.db")
subprocess.run([bin_, "import", csv_path], env=dict(env, SCORELEDGER_DB=db), check=True, capture_output=True)
server = subprocess.Popen([bin_, "serve", "--db", db, "--bind", "127.0.0.1:0"], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
base = server.stdout.readline().split()[-1].rstrip("/")
wait_until_up(base + "/api/head", server)
try:
    alone = result(load(base, ["/api/head"], args.head, 10**9, 5))
    heavy = load(base, heavy_paths(), args.heavy, 10**9, args.cap)
    time.sleep(1)  # let the heavy clients start
    under = result(load(base, ["/api/head"], args.head, 10**9, args.cap - 2))
    heavy = result(heavy)
finally:
    server.terminate()
    server.wait()
    shutil.rmtree(work, ignore_errors=True)

print(json.dumps({"head_alone": alone, "head_under_heavy": under, "heavy": heavy}))
print()
print("| load | requests | errors (non-2xx) | p50 | p99 |")
print("| --- | --- | --- | --- | --- |")
for name, r in [("GET /api/head alone", alone),
                (f"GET /api/head, {args.head} clients, under the heavy load", under),
                (f"heavy questions, {args.heavy} clients", heavy)]:
    print(f"| {name} | {r['requests']:,} | {r['errors']:,} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms |")
