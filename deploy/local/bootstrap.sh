#!/usr/bin/env bash
# Install what the project needs on a fresh machine: uv, Python 3.13, the locked venv.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

find_uv() {
  if command -v uv >/dev/null 2>&1 && uv --version >/dev/null 2>&1; then echo uv; return; fi
  if [ -x .tools/bin/uv ]; then echo .tools/bin/uv; return; fi
  return 1
}

if ! UV=$(find_uv); then
  echo "==> installing uv into .tools/ (from PyPI)"
  python3 -m venv .tools
  .tools/bin/pip install --quiet --disable-pip-version-check uv
  UV=.tools/bin/uv
fi

# Python 3.13: one uv knows, else a pyenv install, else let uv download one.
if ! PYTHON=$("$UV" python find 3.13 2>/dev/null); then
  PYENV_ROOT=${PYENV_ROOT:-$HOME/.pyenv}
  PYTHON=$(ls -d "$PYENV_ROOT"/versions/3.13*/bin/python3.13 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$PYTHON" ]; then
    echo "==> installing Python 3.13 with uv"
    "$UV" python install 3.13
    PYTHON=$("$UV" python find 3.13)
  fi
fi

"$UV" sync --locked --python "$PYTHON" --quiet
echo "==> environment ready: .venv ($("$PYTHON" --version))"
