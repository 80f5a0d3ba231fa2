#!/usr/bin/env bash
# Every test: installs headless Chromium for the browser test when it is
# missing (scripts/install-browser.sh) and Python's cryptography and
# blake3 for the second implementations of the note, index and receipt
# vectors (scripts/check-notes.py, scripts/check-index.py), then runs cargo
# test. Extra arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-browser.sh
# The note vectors are checked against Python's `cryptography` too, the
# index and receipt vectors against `blake3` and `cryptography`.
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install --quiet cryptography
python3 -c 'import blake3' 2>/dev/null || python3 -m pip install --quiet blake3
cargo test --locked "$@"
