"""What the benchmarks measure with: process CPU and memory from /proc, latency percentiles,
and a closed-loop HTTP load generator (a fixed number of requests in flight)."""

import asyncio
import math
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as stat:
        # The command name may contain spaces: the fields we want follow its closing ")".
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS  # utime, stime


def rss_mib(pid: int) -> float:
    """Resident memory (VmRSS) of a process, in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def machine_cpu_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, all cores, from /proc/stat."""
    with open("/proc/stat") as stat:
        ticks = [int(v) for v in stat.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / _CLOCK_TICKS, sum(ticks) / _CLOCK_TICKS


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of the values; NaN when there are none."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    expect: int = 200
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoadResult:
    requests: int = 0
    elapsed_s: float = 0.0
    latencies_s: list[float] = field(default_factory=list)
    errors: Counter[int] = field(default_factory=Counter)  # by unexpected status
    error_sample: str = ""
    bodies: list[Any] = field(default_factory=list)

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed_s if self.elapsed_s else 0.0

    def summary(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "elapsed_s": round(self.elapsed_s, 3),
            "throughput_rps": round(self.throughput, 1),
            "p50_ms": round(percentile(self.latencies_s, 50) * 1000, 2),
            "p99_ms": round(percentile(self.latencies_s, 99) * 1000, 2),
            "errors": dict(self.errors),
            **({"error_sample": self.error_sample} if self.error_sample else {}),
        }


async def closed_loop(
    http: aiohttp.ClientSession,
    make: Callable[[int], Request],
    *,
    concurrency: int,
    count: int | None = None,
    until: asyncio.Event | None = None,
    keep_bodies: bool = False,
) -> LoadResult:
    """`concurrency` workers send request make(0), make(1), ... one after the other each,
    until `count` requests were sent or `until` is set. Unexpected statuses are errors."""
    assert count is not None or until is not None
    result = LoadResult()
    next_index = 0

    async def worker() -> None:
        nonlocal next_index
        while (count is None or next_index < count) and not (until and until.is_set()):
            index = next_index
            next_index += 1
            request = make(index)
            started = time.perf_counter()
            async with http.request(request.method, request.url, **request.kwargs) as response:
                body = await response.read()
                result.latencies_s.append(time.perf_counter() - started)
            if response.status != request.expect:
                result.errors[response.status] += 1
                result.error_sample = result.error_sample or body[:300].decode(errors="replace")
            elif keep_bodies:
                result.bodies.append(await response.json())

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    result.elapsed_s = time.perf_counter() - started
    result.requests = len(result.latencies_s)
    return result
