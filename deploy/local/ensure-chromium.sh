#!/usr/bin/env bash
# The browser the console's tests drive: Debian's Chromium at /usr/bin/chromium (Playwright's
# own browser download does not work on these machines), and a font with Simplified Chinese
# glyphs (without one, every zh-CN page and screenshot shows empty boxes). Installed when
# missing, as root.
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
CJK_FONT_PACKAGE=fonts-noto-cjk

has_chinese_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh-cn family)" ]; }

missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
has_chinese_font || missing+=("$CJK_FONT_PACKAGE")
if [ ${#missing[@]} -eq 0 ]; then
  echo "==> Chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  cat >&2 <<MSG
Missing for the browser tests: ${missing[*]}.
  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y chromium $CJK_FONT_PACKAGE
  elsewhere:      install Chromium or Chrome (set CHROMIUM_PATH to its executable) and a
                  font with Simplified Chinese glyphs (e.g. Noto Sans CJK SC)
MSG
  exit 1
fi
echo "==> installing ${missing[*]} (apt-get install)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
echo "==> Chromium: $("$CHROMIUM" --version)"
