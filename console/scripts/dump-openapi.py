"""Write each service's OpenAPI document to console/src/api/generated/<service>.json.

The documents come from the same pydantic models the services validate with (`api.openapi()`),
so `npm run gen:api` turns a contract change into a type change and `tsc` fails on whatever
the console no longer matches. Run it with the repo's venv (npm's gen:api does:
`${PYTHON:-../.venv/bin/python}`). MPP_SOURCE_ROOT points at another checkout of the repo
(default: the one this script is in), e.g. to build the console against a released backend.
"""

import importlib
import json
import os
import sys
from pathlib import Path

SERVICES = ("accounts", "workspaces", "miniprograms", "notifier")
CONSOLE = Path(__file__).resolve().parents[1]
OUT = CONSOLE / "src" / "api" / "generated"


def main() -> int:
    root = Path(os.environ.get("MPP_SOURCE_ROOT") or CONSOLE.parent).resolve()
    # The sources first, ahead of whatever the venv has installed (editable or not).
    for path in [root / "shared", *(root / "services" / s for s in SERVICES)]:
        sys.path.insert(0, str(path))
    OUT.mkdir(parents=True, exist_ok=True)
    for service in SERVICES:
        document = importlib.import_module(f"{service}.api").api.openapi()
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
        target = OUT / f"{service}.json"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        print(f"{service}: {len(document['paths'])} paths -> {target.relative_to(CONSOLE)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
