"""python -m bench [--only http|events|signup|memory] [--quick]

Starts its own infrastructure and services, runs the scenarios, prints a table and writes
bench/results/<timestamp>.json and bench/results/latest.json. README.md, section Benchmarks,
says what each scenario measures and what the last results were.
"""

import argparse
import asyncio
import json
import os
import platform
import shutil
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import aiohttp

from bench.measure import rss_mib
from bench.scenarios import events, http, memory, signup
from bench.scenarios.common import FULL, QUICK, Context, Outcome
from bench.stack import RESULTS, SERVICES, BenchStack

# Memory first: its "idle" is closest to a fresh start.
SCENARIOS = {"memory": memory.run, "http": http.run, "signup": signup.run, "events": events.run}


def machine() -> dict[str, Any]:
    return {
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "loadavg_at_start": os.getloadavg(),
        "database": f"mongoeco {version('mongoeco')} wire server, in memory",
    }


def _columns(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows)
    return "\n".join(line.rstrip() for line in lines)


def table(outcomes: dict[str, Outcome]) -> str:
    rows = [["scenario", "measurement", "platform", "floor / baseline", "ratio"]]
    targets = [["target", "value", "limit", "result"]]
    for name, outcome in outcomes.items():
        rows += [[name if i == 0 else "", *row] for i, row in enumerate(outcome.rows)]
        for target in outcome.targets:
            t = target.as_dict()
            targets.append(
                [t["name"], f"{t['value']:g}", t["target"], "PASS" if t["pass"] else "FAIL"]
            )
    return _columns(rows) + ("\n\n" + _columns(targets) if len(targets) > 1 else "")


async def main(only: str | None, quick: bool) -> int:
    sizes = QUICK if quick else FULL
    workdir = RESULTS / "last-run"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    profile = {s for s in os.environ.get("BENCH_PROFILE", "").split(",") if s}
    started = datetime.now(UTC)
    report: dict[str, Any] = {
        "started_at": started.isoformat(),
        "machine": machine(),
        "options": {
            "only": only,
            "quick": quick,
            "profile": sorted(profile),
            "sizes": sizes.__dict__,
        },
    }
    stack = BenchStack(workdir, profile=profile)
    outcomes: dict[str, Outcome] = {}
    print(f"bench: starting the platform (logs in {workdir})", flush=True)
    try:
        await stack.start()
        idle = {s: rss_mib(stack.pid(s)) for s in SERVICES}
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as client:
            ctx = Context(stack=stack, http=client, sizes=sizes, idle_rss_mib=idle)
            for name, run in SCENARIOS.items():
                if only in (None, name):
                    began = time.monotonic()
                    print(f"bench: {name} ...", flush=True)
                    outcomes[name] = await run(ctx)
                    print(f"bench: {name} done in {time.monotonic() - began:.0f} s", flush=True)
        report["rss_mib_at_end"] = {s: round(rss_mib(stack.pid(s)), 1) for s in SERVICES}
    finally:
        await stack.stop()
    report["duration_s"] = round((datetime.now(UTC) - started).total_seconds(), 1)
    report["scenarios"] = {
        name: {"data": o.data, "targets": [t.as_dict() for t in o.targets]}
        for name, o in outcomes.items()
    }
    report["targets"] = [t.as_dict() for o in outcomes.values() for t in o.targets]
    if profile:
        report["note"] = "run under cProfile: CPU and latency figures are inflated"
    print()
    print(table(outcomes))
    text = json.dumps(report, indent=2, default=str)
    path = RESULTS / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(text)
    (RESULTS / "latest.json").write_text(text)
    print(f"\nresults: {path.relative_to(RESULTS.parent.parent)}")
    return 0


def cli() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--only", choices=list(SCENARIOS), help="run one scenario")
    parser.add_argument("--quick", action="store_true", help="smaller counts: a smoke run")
    args = parser.parse_args()
    sys.exit(asyncio.run(main(args.only, args.quick)))


if __name__ == "__main__":
    cli()
