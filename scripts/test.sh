#!/usr/bin/env bash
# Every test: installs headless Chromium for the browser test when it is
# missing (scripts/install-browser.sh), then runs cargo test. Extra
# arguments go to cargo test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-browser.sh
cargo test --locked "$@"
