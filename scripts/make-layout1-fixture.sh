#!/usr/bin/env bash
# Writes tests/data/layout1/: a store in the first layout (one sled tree per
# index) with every kind of event, made by scoreledger at commit e07219f,
# plus what that version answered about it (answers.json), its export and its
# checkpoint. tests/it/migration.rs checks that today's build migrates it and
# answers the same. Needs the git history; run from the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'git worktree remove --force "$work/src" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add -f "$work/src" e07219f >/dev/null
(cd "$work/src" && CARGO_TARGET_DIR=$work/target cargo build --release --quiet)
old=$work/target/release/scoreledger
export SCORELEDGER_DB=$work/layout1.db
at() { SCORELEDGER_NOW=$1 "${@:2}" >/dev/null; }
id() { "$old" results --season "$1" --round "$2" --format json | python3 -c "import json,sys; print(json.load(sys.stdin)[$3]['id'])"; }
at 2026-11-28T10:00:00Z "$old" import examples/1984-copa-peru.txt --points-for-win 2
at 2026-11-28T10:00:00Z "$old" import examples/1984-copa-peru.txt --season 1985
at 2026-12-01T09:00:00Z "$old" correct "$(id 1984 1 0)" 2-2 --reason 'score mistyped' --source 'El Comercio'
at 2026-12-02T09:00:00Z "$old" annul "$(id 1985 2 0)" --reason replayed
at 2026-12-03T09:00:00Z "$old" award "$(id 1985 3 1)" --to 'Bella Esperanza' --score 3-0 --reason 'ineligible player'
at 2026-12-03T09:00:00Z "$old" adjust --competition 'Copa Perú' --season 1985 --team 'Bella Esperanza' --points -3 --date 1984-12-10 --reason 'unpaid fee'
at 2026-12-04T09:00:00Z "$old" rename --competition 'Copa Perú' --from 'Deportivo Educación' --to 'Educación FC' --reason renamed
at 2026-12-05T09:00:00Z "$old" rules --competition 'Copa Perú' --season 1985 --points-for-win 3
out=$root/tests/data/layout1
rm -rf "$out" && mkdir -p "$out"
cp -r "$SCORELEDGER_DB" "$out/store" && rm -rf "$out/store/blobs"
"$old" export >"$out/export.jsonl"
"$old" checkpoint --origin example.org/layout1 >"$out/checkpoint.txt"
python3 - "$old" "$out/answers.json" <<'PY'
import json, subprocess, sys
old, dest = sys.argv[1], sys.argv[2]
queries = [
 ["standings","--season","1984","--format","json"],
 ["standings","--season","1985","--format","json"],
 ["standings","--season","1985","--as-of","1984-12-09","--format","json"],
 ["standings","--season","1985","--round","3","--format","json"],
 ["standings","--season","1984","--known-at","20","--format","json"],
 ["standings","--season","1985","--known-at","47","--format","json"],
 ["standings","--season","1985","--known-at","2026-12-02T12:00:00Z","--format","csv"],
 ["results","--format","json"],
 ["results","--season","1985","--known-at","48","--format","json"],
 ["history","040f6a"],
 ["diff","--season","1985","--from","seq:46","--to","seq:51"],
 ["log","--format","jsonl"],
 ["rules","--competition","Copa Perú","--season","1985"],
 ["verify"],
 ["head"],
 ["prove","30"],
]
out = []
for q in queries:
    r = subprocess.run([old] + q, capture_output=True, text=True, check=True)
    out.append({"args": q, "stdout": r.stdout})
json.dump(out, open(dest, "w"), indent=1, ensure_ascii=False)
PY
echo "wrote $out"
