#!/usr/bin/env bash
# Renders the charts and the report of the 1984 Copa Perú, and of a synthetic
# 24-team season, in headless Chromium (Debian's package, installed if missing)
# and writes PNG screenshots to target/render-check/ to look at.
# Not part of CI: it installs a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null; then
    apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
cargo build --release --quiet
bin=$PWD/target/release/scoreledger
out=$PWD/target/render-check
rm -rf "$out" && mkdir -p "$out"
export SCORELEDGER_DB=$out/archive.db SCORELEDGER_NOW=2026-11-28T10:00:00Z
"$bin" import examples/1984-copa-peru.txt >/dev/null
# A 24-team double round-robin, to check that 24 lines stay readable.
python3 - "$out/league24.txt" <<'PY'
import sys, datetime, random
random.seed(7)
teams = [f"Club {c}" for c in "ABCDEFGHIJKLMNOPQRSTUVWX"]
lines = ["Infobox", "- Competition: Synthetic League", "- Season: 2030", "", "| Team |"] + [f"| {t} |" for t in teams] + ["", "==Regular season=="]
n = len(teams); rot = teams[1:]
day = datetime.date(2030, 8, 1)
for r in range(2 * (n - 1)):
    lines.append(f"=== Round {r + 1} ===")
    lines.append(day.strftime("%-d %B %Y"))
    order = [teams[0]] + rot
    for i in range(n // 2):
        h, a = order[i], order[n - 1 - i]
        if r >= n - 1: h, a = a, h
        lines.append(f"{h} {random.randint(0, 4)}-{random.randint(0, 3)} {a}")
    rot = rot[-1:] + rot[:-1]
    day += datetime.timedelta(days=7)
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
"$bin" import "$out/league24.txt" >/dev/null
for comp in "Copa Perú" "Synthetic League"; do
    slug=$(echo "$comp" | tr ' ' '-' | tr -cd 'A-Za-z0-9-')
    "$bin" chart --competition "$comp" --kind positions --output "$out/$slug-positions.svg"
    "$bin" chart --competition "$comp" --kind points --output "$out/$slug-points.svg"
    start=$(date +%s%N)
    "$bin" report --competition "$comp" --output "$out/$slug-report.html"
    echo "$comp: report built in $(( ($(date +%s%N) - start) / 1000000 )) ms (whole process)"
done
chrome=(chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
    --disable-component-update --disable-sync --user-data-dir="$out/chromium" --hide-scrollbars)
for f in "$out"/*.svg "$out"/*.html; do
    size=1300,900
    case "$f" in *.html) size=1300,3000 ;; esac
    timeout 60 "${chrome[@]}" --window-size=$size --screenshot="${f%.*}.png" "file://$f" >/dev/null 2>&1
    test -s "${f%.*}.png" || { echo "no screenshot for $f"; exit 1; }
    echo "rendered ${f%.*}.png"
done
