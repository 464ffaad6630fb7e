#!/usr/bin/env bash
# The browser the console's tests drive: Debian's Chromium at /usr/bin/chromium (Playwright's
# own browser download does not work on these machines). Installed when missing, as root.
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  echo "==> Chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
Chromium is not installed at $CHROMIUM; the browser tests need it.
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium
  elsewhere:      install Chromium or Chrome and set CHROMIUM_PATH to its executable
MSG
  exit 1
fi
echo "==> installing Chromium (apt-get install chromium)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
echo "==> Chromium: $("$CHROMIUM" --version)"
