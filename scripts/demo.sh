#!/usr/bin/env bash
# The main job on the bundled 1984 Copa Perú data: import, the table as of a
# date, verify. Builds the binary first. Uses a fresh archive in a temporary
# folder unless SCORELEDGER_DB is set.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/scoreledger
db=${SCORELEDGER_DB:-$(mktemp -d)/copa-peru.db}
export SCORELEDGER_DB=$db

run() {
    printf '\n$ scoreledger %s\n' "$*"
    "$bin" "$@"
}

echo "archive: $db"
run import examples/1984-copa-peru.txt
run standings --as-of 1984-12-09
run standings
run verify
