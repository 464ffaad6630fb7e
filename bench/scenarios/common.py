"""What every scenario gets and gives back."""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bench.measure import LoadResult, Request, closed_loop, cpu_seconds
from bench.stack import BenchStack

# After a measured window, background work the requests caused (the outbox relay publishing
# their events) may still run: CPU is read once the process and the Mongo server are idle
# again, i.e. below this share of one core over half a second.
IDLE_CORE_SHARE = 0.1
SETTLE_TIMEOUT_S = 180


async def settle(pids: list[int]) -> float:
    """Wait until every process is idle; returns how long that took."""
    started = time.monotonic()
    while time.monotonic() - started < SETTLE_TIMEOUT_S:
        before = [cpu_seconds(p) for p in pids]
        await asyncio.sleep(0.5)
        if all(
            cpu_seconds(p) - b < IDLE_CORE_SHARE * 0.5 for p, b in zip(pids, before, strict=True)
        ):
            break
    return time.monotonic() - started - 0.5


@dataclass(frozen=True)
class Sizes:
    concurrency: int
    get_warmup: int
    get_count: int
    create_warmup: int
    create_count: int
    login_warmup: int
    login_count: int
    review_rate: int
    review_seconds: int
    review_max_count: int
    me_idle_count: int
    signups: int
    memory_requests: int


# Counts are bounded by the Mongo wire server: its writes get slower as collections grow (see
# README), so larger counts measure mostly that, and a full run stays under ~10 minutes.
FULL = Sizes(
    concurrency=16,
    get_warmup=300,
    get_count=3000,
    create_warmup=40,
    create_count=400,
    login_warmup=30,
    login_count=300,
    review_rate=50,
    review_seconds=10,
    review_max_count=500,
    me_idle_count=12_000,  # about as long as the burst: both p99s see the same background work
    signups=200,
    memory_requests=10_000,
)
QUICK = Sizes(
    concurrency=16,
    get_warmup=100,
    get_count=600,
    create_warmup=20,
    create_count=150,
    login_warmup=10,
    login_count=60,
    review_rate=50,
    review_seconds=4,
    review_max_count=200,
    me_idle_count=2000,
    signups=40,
    memory_requests=2000,
)


@dataclass
class Context:
    stack: BenchStack
    http: aiohttp.ClientSession
    sizes: Sizes
    idle_rss_mib: dict[str, float]


@dataclass
class Target:
    name: str
    value: float
    limit: float
    unit: str
    at_most: bool = True  # value <= limit passes; else value >= limit passes

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def as_dict(self) -> dict[str, Any]:
        sign = "<=" if self.at_most else ">="
        return {
            "name": self.name,
            "value": round(self.value, 3),
            "target": f"{sign} {self.limit:g}{self.unit}",
            "pass": self.passed,
        }


@dataclass
class Outcome:
    rows: list[list[str]] = field(default_factory=list)  # measurement, platform, floor, ratio
    targets: list[Target] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


async def measured(
    ctx: Context,
    *,
    process: str,
    make: Callable[[int], Request],
    warmup: int,
    count: int,
    concurrency: int,
    keep_bodies: bool = False,
) -> tuple[LoadResult, dict[str, Any]]:
    """Warm up, then a measured window of `count` requests, with the CPU the process (and
    the Mongo server) spent on them per request, including the background work they caused."""
    stack = ctx.stack
    await closed_loop(ctx.http, make, concurrency=concurrency, count=warmup)
    pid = stack.pid(process)
    await settle([pid, stack.mongo_pid])
    cpu, db_cpu = cpu_seconds(pid), cpu_seconds(stack.mongo_pid)
    result = await closed_loop(
        ctx.http,
        lambda i: make(warmup + i),
        concurrency=concurrency,
        count=count,
        keep_bodies=keep_bodies,
    )
    busy_after_s = await settle([pid, stack.mongo_pid])
    cpu, db_cpu = cpu_seconds(pid) - cpu, cpu_seconds(stack.mongo_pid) - db_cpu
    summary = result.summary()
    summary["cpu_ms_per_request"] = round(cpu * 1000 / count, 3)
    summary["db_cpu_ms_per_request"] = round(db_cpu * 1000 / count, 3)
    # Background work still running after the last response (e.g. an outbox backlog).
    summary["busy_after_window_s"] = round(max(0.0, busy_after_s), 1)
    return result, summary


def fmt(value: float, digits: int = 2) -> str:
    return f"{value:.{digits}f}"
