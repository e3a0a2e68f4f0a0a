#!/usr/bin/env bash
# Debian's Chromium for the browser test of the dashboard: installed when it is missing.
# CHROMIUM_PATH names another binary (the test then uses that one and nothing is installed).
set -euo pipefail
path=${CHROMIUM_PATH:-/usr/bin/chromium}
[[ -x $path ]] && exit 0
command -v apt-get >/dev/null || { echo "chromium: $path is missing and there is no apt-get; install Chromium or set CHROMIUM_PATH" >&2; exit 1; }
[[ $(id -u) == 0 ]] || { echo "chromium: $path is missing; install Debian's chromium package (needs root) or set CHROMIUM_PATH" >&2; exit 1; }
echo "chromium: installing Debian's chromium package"
DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
