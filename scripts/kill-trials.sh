#!/usr/bin/env bash
# Kills a large import with SIGKILL at random moments, TRIALS times (default
# 200), and checks after each kill that the archive verifies and holds either
# none or all of the import, and that re-running the import completes it
# without duplicates. Then the same for an import of many batches (each
# synced while the next is derived): after each kill the archive verifies
# (its head record is never ahead of it) and holds whole batches only.
# Last, the same import stopped with SIGINT (Ctrl-C) at random moments: the
# events it says it committed are all in the archive, which verifies.
# Prints the tallies. Usage: scripts/kill-trials.sh [TRIALS]
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

python3 - "$work/seasons.csv" <<'PY'
import sys
rows = ["Date,Season,home,visitor,FT,hgoal,vgoal,division,tier,totgoal,goaldif,result"]
for s in range(60):
    year = 1900 + s
    for h in range(20):
        for a in range(20):
            if h != a:
                hg, vg = (h + s) % 4, (a * s) % 3
                rows.append(f"{year}-10-{1 + (h * 20 + a) % 28:02d},{year},Club {h},Club {a},{hg}-{vg},{hg},{vg},1,1,{hg + vg},{hg - vg},{'H' if hg > vg else 'A' if hg < vg else 'D'}")
open(sys.argv[1], "w").write("\n".join(rows) + "\n")
PY
export SCORELEDGER_DB=$work/probe2.db
start=$(date +%s%N); "$bin" import --batch 500 "$work/seasons.csv" >/dev/null 2>&1; span=$(( ($(date +%s%N) - start) / 1000000 ))
full=$("$bin" head | cut -d' ' -f1)
echo "one import of many batches: $full events in $span ms"
declare -A seen=()
for t in $(seq 1 "$trials"); do
    export SCORELEDGER_DB=$work/b.db
    rm -rf "$SCORELEDGER_DB"
    "$bin" import --batch 500 "$work/seasons.csv" >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v s="$span" -v r="$RANDOM" 'BEGIN { printf "%.3f", (r / 32768) * s * 1.2 / 1000 }')"
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if ! out=$("$bin" verify 2>&1); then
        # Killed before the store was made: nothing to check.
        case "$out" in *"no scoreledger store at"*) seen[0]=1; continue;; esac
        echo "trial $t: verify FAILED: $out"; exit 1
    fi
    seq=$("$bin" head | cut -d' ' -f1)
    if [ $((seq % 500)) != 0 ] && [ "$seq" != "$full" ]; then echo "trial $t: head $seq is not a whole number of batches"; exit 1; fi
    seen[$seq]=1
    "$bin" import --batch 500 "$work/seasons.csv" >/dev/null
    [ "$("$bin" head | cut -d' ' -f1)" = "$full" ] || { echo "trial $t: re-import did not complete"; exit 1; }
done
echo "$trials kills of an import of many batches: stopped at ${#seen[@]} different heads; 0 events lost or invented, no batch cut"

claims=0
for t in $(seq 1 "$trials"); do
    export SCORELEDGER_DB=$work/c.db
    rm -rf "$SCORELEDGER_DB"
    "$bin" import --batch 500 "$work/seasons.csv" >/dev/null 2>"$work/int.err" &
    pid=$!
    sleep "$(awk -v s="$span" -v r="$RANDOM" 'BEGIN { printf "%.3f", (r / 32768) * s * 1.2 / 1000 }')"
    kill -INT "$pid" 2>/dev/null || true
    code=0; wait "$pid" || code=$?
    if [ $code = 0 ]; then claim=$full; else
        claim=$(grep -o 'interrupted: [0-9]* events committed' "$work/int.err" | grep -o '[0-9][0-9]*' || true)
        [ -n "$claim" ] || { echo "SIGINT trial $t: exit $code: $(cat "$work/int.err")"; exit 1; }
    fi
    if [ "$claim" = 0 ] && ! "$bin" head >/dev/null 2>&1; then continue; fi
    "$bin" verify >/dev/null || { echo "SIGINT trial $t: verify FAILED"; exit 1; }
    seq=$("$bin" head | cut -d' ' -f1)
    [ "$seq" -ge "$claim" ] || { echo "SIGINT trial $t: claimed $claim events, the archive holds $seq"; exit 1; }
    [ "$claim" = 0 ] || claims=$((claims + 1))
done
echo "$trials SIGINTs of an import of many batches: $claims claimed some events, each claim in an archive that verifies"
