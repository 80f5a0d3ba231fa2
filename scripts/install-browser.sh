#!/usr/bin/env bash
# Installs Debian's headless Chromium and ChromeDriver (packages chromium and
# chromium-driver), which tests/it/browser.rs drives. Does nothing when both are
# there. Needs root or sudo, and Debian's package registry.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
export DEBIAN_FRONTEND=noninteractive
echo "installing chromium and chromium-driver for the browser test" >&2
$sudo apt-get install -y -qq chromium chromium-driver >/dev/null ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium chromium-driver >/dev/null; }
