#!/usr/bin/env python3
"""Median wall time of a whole command, run RUNS times (default 15).

    RUNS=15 python3 scripts/median-time.py target/release/scoreledger head

Prints the median, fastest and slowest in ms; stdout of the command is
discarded, and a failing run stops the script.
"""
import os
import statistics
import subprocess
import sys
import time

runs = int(os.environ.get("RUNS", "15"))
cmd = sys.argv[1:]
if not cmd:
    sys.exit(__doc__)
ts = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    ts.append(time.perf_counter() - t)
print(f"median {statistics.median(ts) * 1000:.1f} ms  min {min(ts) * 1000:.1f}  max {max(ts) * 1000:.1f}")
