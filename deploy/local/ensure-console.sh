#!/usr/bin/env bash
# The console's packages (npm ci, from the committed lock file) and its production build,
# which the gateway serves. Quick when nothing changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/../../console"

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is not installed: the console needs Node.js 20.19+ and npm (e.g. apt-get install nodejs npm)." >&2
  exit 1
fi
# node_modules/.package-lock.json is npm's record of what it installed: reinstall when the
# committed lock file is newer.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> console: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
if [ "${1:-}" = "--build" ]; then
  echo "==> console: npm run build"
  PYTHON=../.venv/bin/python npm run build --silent >/dev/null
fi
