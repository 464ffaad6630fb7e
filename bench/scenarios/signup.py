"""Signup under load: GET /v1/accounts/me p99 at a fixed concurrency, idle and while a burst
of concurrent signups (each an argon2id hash in the accounts thread pool) runs on the same
accounts process. Also how busy the accounts process and the whole machine were, to tell a
blocked event loop from a starved one."""

import asyncio
import time
import uuid
from typing import Any

from bench import seed
from bench.measure import LoadResult, Request, closed_loop, cpu_seconds, machine_cpu_seconds
from bench.scenarios.common import Context, Outcome, Target, fmt, settle
from bench.stack import SERVICES
from tests.support.accounts import STRONG_PASSWORD

MAX_P99_RATIO = 2.0
ME_CONCURRENCY = 8
SIGNUP_CONCURRENCY = 16


async def _observed(ctx: Context, load: Any) -> tuple[Any, dict[str, float]]:
    """Run `load` (a coroutine); returns its result and the cores the accounts process, the
    Mongo server (one thread: at most 1.0) and the whole machine kept busy meanwhile."""
    accounts, mongo = ctx.stack.pid("accounts"), ctx.stack.mongo_pid
    started, (busy, _) = time.monotonic(), machine_cpu_seconds()
    cpu = {"accounts": cpu_seconds(accounts), "mongo": cpu_seconds(mongo)}
    result = await load
    elapsed = time.monotonic() - started
    usage = {
        "accounts_cores": round((cpu_seconds(accounts) - cpu["accounts"]) / elapsed, 2),
        "mongo_cores": round((cpu_seconds(mongo) - cpu["mongo"]) / elapsed, 2),
        "machine_cores": round((machine_cpu_seconds()[0] - busy) / elapsed, 2),
    }
    return result, usage


async def run(ctx: Context) -> Outcome:
    stack, sizes = ctx.stack, ctx.sizes
    user = await seed.sign_up(ctx.http, stack, f"me-{uuid.uuid4().hex[:8]}@example.com")
    me_url = stack.url("accounts", "/v1/accounts/me")
    signup_url = stack.url("accounts", "/v1/accounts")
    everything = [stack.pid(s) for s in SERVICES] + [stack.mongo_pid]

    def me(_: int) -> Request:
        return Request("GET", me_url, 200, {"headers": user.auth})

    def signup(_: int) -> Request:
        body = {
            "email": f"burst-{uuid.uuid4().hex[:12]}@example.com",
            "password": STRONG_PASSWORD,
            "full_name": "Burst",
            "accept_terms": True,
        }
        return Request("POST", signup_url, 201, {"json": body})

    await closed_loop(ctx.http, me, concurrency=ME_CONCURRENCY, count=200)  # warm-up
    await settle(everything)
    idle, idle_usage = await _observed(
        ctx, closed_loop(ctx.http, me, concurrency=ME_CONCURRENCY, count=sizes.me_idle_count)
    )
    await settle(everything)
    burst_over = asyncio.Event()

    async def burst() -> LoadResult:
        try:
            return await closed_loop(
                ctx.http, signup, concurrency=SIGNUP_CONCURRENCY, count=sizes.signups
            )
        finally:
            burst_over.set()

    (during, signups), burst_usage = await _observed(
        ctx,
        asyncio.gather(
            closed_loop(ctx.http, me, concurrency=ME_CONCURRENCY, until=burst_over), burst()
        ),
    )
    idle_s, during_s, signups_s = idle.summary(), during.summary(), signups.summary()
    ratio = during_s["p99_ms"] / idle_s["p99_ms"]
    outcome = Outcome(
        data={
            "me_concurrency": ME_CONCURRENCY,
            "signup_concurrency": SIGNUP_CONCURRENCY,
            "me_idle": {**idle_s, **idle_usage},
            "me_during_burst": {**during_s, **burst_usage},
            "signups": signups_s,
        }
    )
    outcome.targets = [
        Target("GET /v1/accounts/me p99 during signups vs idle", ratio, MAX_P99_RATIO, "x")
    ]

    def row(label: str, key: str, digits: int = 1) -> list[str]:
        return [label, fmt(during_s[key], digits), fmt(idle_s[key], digits), ""]

    outcome.rows = [
        [*row("GET /v1/accounts/me p99 ms (burst vs idle)", "p99_ms")[:3], f"{ratio:.2f}x"],
        row("GET /v1/accounts/me p50 ms (burst vs idle)", "p50_ms"),
        row("GET /v1/accounts/me req/s (burst vs idle)", "throughput_rps", 0),
        [
            "cores busy: accounts / Mongo / machine (burst vs idle)",
            " / ".join(
                str(burst_usage[k]) for k in ("accounts_cores", "mongo_cores", "machine_cores")
            ),
            " / ".join(
                str(idle_usage[k]) for k in ("accounts_cores", "mongo_cores", "machine_cores")
            ),
            "",
        ],
        [
            f"signups: {sizes.signups} at concurrency {SIGNUP_CONCURRENCY}, req/s",
            fmt(signups_s["throughput_rps"], 1),
            "",
            "",
        ],
        [
            "  signup p50 / p99 ms",
            f"{fmt(signups_s['p50_ms'], 0)} / {fmt(signups_s['p99_ms'], 0)}",
            "",
            "",
        ],
    ]
    for name, summary in (("idle", idle_s), ("burst", during_s), ("signups", signups_s)):
        if summary["errors"]:
            outcome.rows.append([f"  {name} errors", str(summary["errors"]), "", ""])
    return outcome
