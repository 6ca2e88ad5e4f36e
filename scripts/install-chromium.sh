#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (internal/webui), unless a
# Chromium or Chrome is there already (or $CHROMIUM names one). Needs apt-get
# and root (or sudo); says what to do otherwise.
set -euo pipefail
if [[ -n "${CHROMIUM:-}" ]] || command -v chromium >/dev/null || command -v chromium-browser >/dev/null || command -v google-chrome >/dev/null; then
  exit 0
fi
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-chromium: run as root, or install chromium yourself" >&2; exit 1; }
  sudo=sudo
fi
command -v apt-get >/dev/null || { echo "install-chromium: no apt-get here; install Chromium and set CHROMIUM to it" >&2; exit 1; }
echo "install-chromium: installing Debian's chromium for the browser tests..." >&2
$sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1 || {
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null
}
command -v chromium >/dev/null
