#!/usr/bin/env bash
# Kills a large import with SIGKILL at random moments, TRIALS times (default
# 200), and checks after each kill that the archive verifies and holds either
# none or all of the import, and that re-running the import completes it
# without duplicates. Prints the tally. Usage: scripts/kill-trials.sh [TRIALS]
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-200}
cargo build --release --quiet
bin=$PWD/target/release/scoreledger
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/big.txt" <<'PY'
import sys
n = 40
teams = [f"Club {i:02}" for i in range(n)]
out = ["Infobox", "- Competition: Stress League", "- Season: 2001", "", "| Team |"] + [f"| {t} |" for t in teams] + ["", "==League=="]
rot = list(range(1, n))
for r in range(2 * (n - 1)):
    out += [f"=== Round {r + 1} ===", f"{1 + r % 28} January 2001"]
    order = [0] + rot
    for i in range(n // 2):
        h, a = (order[i], order[n - 1 - i]) if r < n - 1 else (order[n - 1 - i], order[i])
        out.append(f"{teams[h]} {(r + i) % 4}-{(r * i) % 3} {teams[a]}")
    rot = rot[-1:] + rot[:-1]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
export SCORELEDGER_DB=$work/probe.db
start=$(date +%s%N); "$bin" import "$work/big.txt" >/dev/null; span=$(( ($(date +%s%N) - start) / 1000000 ))
full=$("$bin" head | cut -d' ' -f1)
echo "one import: $full events in $span ms"
none=0; all=0
for t in $(seq 1 "$trials"); do
    export SCORELEDGER_DB=$work/t.db
    rm -rf "$SCORELEDGER_DB"
    "$bin" import examples/1984-copa-peru.txt >/dev/null
    "$bin" import "$work/big.txt" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v s="$span" -v r="$RANDOM" 'BEGIN { printf "%.3f", (r / 32768) * s * 1.5 / 1000 }')"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    "$bin" verify >/dev/null || { echo "trial $t: verify FAILED"; exit 1; }
    seq=$("$bin" head | cut -d' ' -f1)
    if [ "$seq" = 23 ]; then none=$((none + 1));
    elif [ "$seq" = $((23 + full)) ]; then all=$((all + 1));
    else echo "trial $t: head $seq is neither 23 nor $((23 + full))"; exit 1; fi
    "$bin" import "$work/big.txt" >/dev/null
    [ "$("$bin" head | cut -d' ' -f1)" = $((23 + full)) ] || { echo "trial $t: re-import did not complete"; exit 1; }
done
echo "$trials kills: $none before the commit, $all after it; 0 events lost or invented"
