#!/usr/bin/env bash
# Tries to brick an archive the two ways sled 0.34 allows, and checks that it
# never stays bricked:
#  1. kills (SIGINT and SIGKILL, alternating) at random moments during the
#     first open after a write, on an archive of about 23,000 events, TRIALS
#     times (default 60); after each, the next command opens the archive,
#     `verify` passes and the head is the one reported by the import;
#  2. a full disk (a small tmpfs, needs root): `head` and `record` with 0 bytes
#     to 1 MiB free either succeed or fail with "no space left on the device
#     holding ..." (exit 3); once space is freed, `verify` passes and every
#     reported append is there. Skipped, saying why, where mounting fails;
#  3. imports of the whole file (batches of 500) onto disks of 20-90% of the
#     room it needs, TRIALS * 5 times (needs root): each must end within
#     60 s (a sled flush on another thread once hung for good there), fail
#     with "no space left" or succeed, and what it claims must be in the
#     store, which verifies.
# Usage: scripts/brick-trials.sh [TRIALS]
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-60}
cargo build --release --quiet
bin=$PWD/target/release/scoreledger
work=$(mktemp -d)
mnt=$work/small-disk
cleanup() { umount "$mnt" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export SCORELEDGER_NOW=2026-11-28T10:00:00Z
# 60 seasons of a 20-team league in the engsoccerdata layout: 22,800 results.
python3 - "$work/league.csv" <<'PY'
import sys, datetime
out = ["Date,Season,home,visitor,FT,hgoal,vgoal,division,tier,totgoal,goaldif,result"]
teams = [f"Club {i:02}" for i in range(20)]
for season in range(1950, 2010):
    rot = list(range(1, 20))
    day = datetime.date(season, 8, 20)
    for r in range(38):
        order = [0] + rot
        for i in range(10):
            h, a = order[i], order[19 - i]
            if r >= 19: h, a = a, h
            hg, ag = (r + i + season) % 4, (r * i + season) % 3
            res = "H" if hg > ag else "A" if hg < ag else "D"
            out.append(f"{day},{season},{teams[h]},{teams[a]},{hg}-{ag},{hg},{ag},1,1,{hg+ag},{hg-ag},{res}")
        rot = rot[-1:] + rot[:-1]
        day += datetime.timedelta(days=7)
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
base=$work/base.db
SCORELEDGER_DB=$base "$bin" import "$work/league.csv" >/dev/null
# import opens the store once more before it ends; the write whose next open
# writes sled's snapshot is this one.
SCORELEDGER_DB=$base "$bin" record --competition 'English League' --season 1950-51 --stage Cup --new-stage \
    --round 1 --date 1951-05-01 'Club 02' 2-1 'Club 03' >/dev/null
cp -r "$base" "$work/peek.db"
head=$(SCORELEDGER_DB=$work/peek.db "$bin" head)
events=${head%% *}
# How long the first open after the write takes (on a copy).
cp -r "$base" "$work/probe.db"
start=$(date +%s%N); SCORELEDGER_DB=$work/probe.db "$bin" head >/dev/null
span=$(( ($(date +%s%N) - start) / 1000000 )); span=$(( span > 5 ? span : 5 ))
echo "archive: $events events; the first open after the import takes $span ms"

export SCORELEDGER_DB=$work/t.db
for t in $(seq 1 "$trials"); do
    rm -rf "$SCORELEDGER_DB"; cp -r "$base" "$SCORELEDGER_DB"
    sig=$([ $((t % 2)) = 0 ] && echo INT || echo KILL)
    "$bin" head >/dev/null 2>&1 & pid=$!
    sleep "$(awk -v s="$span" -v r="$RANDOM" 'BEGIN { printf "%.4f", (r / 32768) * s * 1.2 / 1000 }')"
    kill -"$sig" "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    "$bin" verify >/dev/null || { echo "trial $t (SIG$sig): verify FAILED"; exit 1; }
    [ "$("$bin" head)" = "$head" ] || { echo "trial $t (SIG$sig): head is not $head"; exit 1; }
done
echo "kills during the first open after a write: $trials trials (SIGINT and SIGKILL), 0 bricked, 0 events lost"

mkdir -p "$mnt"
size=$(du -sb "$base" | cut -f1)
if ! mount -t tmpfs -o size=$((size + 4 * 1024 * 1024)) tmpfs "$mnt" 2>"$work/mount.err"; then
    echo "full disk: not run: cannot mount a tmpfs ($(head -1 "$work/mount.err")); run as root"
    exit 0
fi
export SCORELEDGER_DB=$mnt/archive.db
runs=0; appends=0
for free_kib in 0 4 16 64 128 256 512 1024; do
    rm -rf "$SCORELEDGER_DB"; cp -r "$base" "$SCORELEDGER_DB"
    dd if=/dev/zero of="$mnt/filler" bs=4k 2>/dev/null || true
    truncate -s "-${free_kib}K" "$mnt/filler"
    appended=0
    for cmd in head record; do
        args=(head)
        [ "$cmd" = record ] && args=(record --competition 'English League' --season 1950-51 --stage 'Friendlies' --new-stage --round 1 --date 1951-06-01 'Club 00' 1-0 'Club 01')
        if "$bin" "${args[@]}" >/dev/null 2>"$work/err"; then
            if [ "$cmd" = record ]; then appended=1; appends=$((appends + 1)); fi
        else
            code=$?
            if [ $code != 3 ] || ! grep -q "no space left on the device holding" "$work/err"; then
                echo "full disk, ${free_kib} KiB free, $cmd: exit $code: $(cat "$work/err")"; exit 1
            fi
        fi
        runs=$((runs + 1))
    done
    rm "$mnt/filler"
    "$bin" verify >/dev/null || { echo "full disk, ${free_kib} KiB free: verify FAILED after freeing space"; exit 1; }
    now=$("$bin" head | cut -d' ' -f1)
    [ "$now" -ge $((events + appended)) ] || { echo "full disk, ${free_kib} KiB free: a reported append was lost (head $now)"; exit 1; }
done
echo "full disk: $runs commands with 0 KiB to 1 MiB free; each succeeded ($appends records appended) or said 'no space left'; 0 bricked, 0 events lost"

umount "$mnt"
whole=$(du -sb "$base" | cut -f1)
imports=$((trials * 5)); ended=0
for t in $(seq 1 "$imports"); do
    tenths=$((2 + RANDOM % 8))
    mount -t tmpfs -o size=$((whole * tenths / 10)) tmpfs "$mnt"
    SCORELEDGER_DB=$mnt/i.db "$bin" import --batch 500 "$work/league.csv" >/dev/null 2>"$work/err" & pid=$!
    for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid"; echo "import $t onto ${tenths}0% of the room: still running after 60 s (hung)"; exit 1
    fi
    code=0; wait "$pid" || code=$?
    claim=0
    if [ $code != 0 ]; then
        grep -q "no space left" "$work/err" || { echo "import $t: exit $code: $(cat "$work/err")"; exit 1; }
        claim=$(grep -o '[0-9]* events of this import were committed' "$work/err" | cut -d' ' -f1 || true)
        claim=${claim:-0}
    fi
    rm -rf "$work/kept.db"; cp -r "$mnt/i.db" "$work/kept.db" 2>/dev/null || true
    umount "$mnt"
    if [ -f "$work/kept.db/db" ]; then
        SCORELEDGER_DB=$work/kept.db "$bin" verify >/dev/null 2>"$work/err" || grep -q "no scoreledger store" "$work/err" \
            || { echo "import $t: verify FAILED: $(cat "$work/err")"; exit 1; }
        kept=$(SCORELEDGER_DB=$work/kept.db "$bin" head 2>/dev/null | cut -d' ' -f1); kept=${kept:-0}
        [ "$kept" -ge "$claim" ] || { echo "import $t: claimed $claim events, the store holds $kept"; exit 1; }
    else
        [ "$claim" = 0 ] || { echo "import $t: claimed $claim events, no store"; exit 1; }
    fi
    ended=$((ended + 1))
done
echo "imports onto a disk too small: $ended of $imports ended within 60 s, each claim held by a store that verifies"
