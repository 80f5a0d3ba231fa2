#!/usr/bin/env bash
# Every test: installs headless Chromium for the browser test when it is
# missing (scripts/install-browser.sh) and Python's cryptography for the
# note vectors' second implementation, then runs cargo test. Extra
# arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-browser.sh
# The note vectors are checked against Python's `cryptography` too.
python3 -c 'import cryptography' 2>/dev/null || python3 -m pip install --quiet cryptography
cargo test --locked "$@"
