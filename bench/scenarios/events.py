"""Events: a review decision -> the applicant's mail in the SMTP sink, next to a raw
aio-pika -> aiosmtplib loop (the floor), at a fixed rate and as fast as possible.

Platform latency: the decision's HTTP response -> the SMTP sink has the mail. Floor latency:
the publish confirm -> the sink has the mail. (Both on CLOCK_MONOTONIC, taken by the bench
process and the sink.) Decisions alternate approve / reject: an approval also provisions a
workspace, whose events accounts and miniprograms consume, so all four services and the Mongo
server are measured."""

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from bench import floor_events, seed
from bench.measure import cpu_seconds, percentile
from bench.scenarios.common import Context, Outcome, Target, fmt, settle
from bench.stack import SERVICES

MAX_P99_S = 1.0  # at the fixed rate
MIN_THROUGHPUT_SHARE = 0.8  # of the floor's, as fast as possible
MAIL_TIMEOUT_S = 180
FLOOR_QUEUE = "floor.review-results"


async def _paced(
    count: int,
    one: Callable[[int], Coroutine[Any, Any, None]],
    *,
    rate: float | None,
    concurrency: int,
) -> None:
    """one(0..count-1): started at `rate` per second, or back to back by `concurrency` workers."""
    if rate is not None:
        started = time.monotonic()
        tasks: list[asyncio.Task[None]] = []
        for k in range(count):
            await asyncio.sleep(max(0.0, started + k / rate - time.monotonic()))
            tasks.append(asyncio.create_task(one(k)))
        await asyncio.gather(*tasks)
        return
    remaining = iter(range(count))

    async def worker() -> None:
        for k in remaining:
            await one(k)

    await asyncio.gather(*(worker() for _ in range(concurrency)))


async def _deliveries(
    ctx: Context,
    *,
    recipients: list[str],
    processes: list[str],
    send: Callable[[], Awaitable[dict[str, float]]],
) -> dict[str, Any]:
    """Run `send` (it returns when each recipient's event was handed over), wait for every
    mail, and summarize latency, throughput and the CPU each process spent per mail (once the
    work the reviews caused is over)."""
    stack = ctx.stack
    names = [*processes, "mongo"]
    pids = [stack.pid(n) for n in names]
    await settle(pids)
    cpu = [cpu_seconds(p) for p in pids]
    started = time.monotonic()
    handed_over = await send()
    received = await stack.wait_for_mails(recipients, timeout=MAIL_TIMEOUT_S)
    await settle(pids)
    mailed = [r for r in recipients if r in stack.mails and r in handed_over]
    latencies = [stack.mails[r] - handed_over[r] for r in mailed]
    last_mail = max((stack.mails[r] for r in mailed), default=started)
    return {
        "reviews": len(recipients),
        "mailed": received,
        "reviews_per_s": round(len(mailed) / (last_mail - started), 1) if mailed else 0.0,
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=float("nan")) * 1000, 1),
        "cpu_ms_per_mail": {
            name: round((cpu_seconds(pid) - before) * 1000 / max(1, received), 2)
            for name, pid, before in zip(names, pids, cpu, strict=True)
        },
    }


async def _platform(
    ctx: Context,
    *,
    reviewer: seed.User,
    applicants: list[seed.User],
    applications: list[str],
    rate: float | None,
) -> dict[str, Any]:
    responded: dict[str, float] = {}

    async def decide(k: int) -> None:
        decision = ("approve", "reject")[k % 2]
        await seed.decide(ctx.http, ctx.stack, reviewer, applications[k], decision)
        responded[applicants[k].email] = time.monotonic()

    async def send() -> dict[str, float]:
        await _paced(len(applicants), decide, rate=rate, concurrency=ctx.sizes.concurrency)
        return responded

    recipients = [u.email for u in applicants]
    return await _deliveries(ctx, recipients=recipients, processes=list(SERVICES), send=send)


async def _floor(ctx: Context, tag: str, count: int, *, rate: float | None) -> dict[str, Any]:
    recipients = [f"floor-{tag}-{k}@example.com" for k in range(count)]

    async def send() -> dict[str, float]:
        return await floor_events.publish(
            ctx.stack.rabbitmq_url,
            FLOOR_QUEUE,
            recipients,
            rate=rate,
            concurrency=ctx.sizes.concurrency,
        )

    return await _deliveries(ctx, recipients=recipients, processes=["floor-events"], send=send)


def _services_cpu(result: dict[str, Any]) -> float:
    return float(sum(result["cpu_ms_per_mail"][s] for s in SERVICES))


async def run(ctx: Context) -> Outcome:
    stack, sizes = ctx.stack, ctx.sizes
    rate = sizes.review_rate
    n_rate, n_max = rate * sizes.review_seconds, sizes.review_max_count
    reviewer = seed.staff(stack, "reviewer")
    applicants = [seed.new_user(stack, "applicant") for _ in range(n_rate + n_max)]
    applications = await seed.limited(
        (seed.submit_application(ctx.http, stack, u) for u in applicants), concurrency=8
    )
    data: dict[str, Any] = {"rate_per_s": rate, "applications_under_review": len(applications)}
    data["platform_at_rate"] = await _platform(
        ctx,
        reviewer=reviewer,
        applicants=applicants[:n_rate],
        applications=applications[:n_rate],
        rate=rate,
    )
    data["platform_max"] = await _platform(
        ctx,
        reviewer=reviewer,
        applicants=applicants[n_rate:],
        applications=applications[n_rate:],
        rate=None,
    )
    consumer = ["-m", "bench.floor_events", "--queue", FLOOR_QUEUE]
    consumer += ["--smtp-port", str(stack.smtp_port)]
    await stack.spawn(
        "floor-events",
        [*stack.python("floor-events"), *consumer],
        stack.floor_env(),
        ready_marker="ready",
    )
    try:
        data["floor_at_rate"] = await _floor(ctx, "rate", n_rate, rate=rate)
        data["floor_max"] = await _floor(ctx, "max", n_max, rate=None)
    finally:
        await stack.stop_process("floor-events")
    return _outcome(data, rate)


def _outcome(data: dict[str, Any], rate: int) -> Outcome:
    at_rate, fastest = data["platform_at_rate"], data["platform_max"]
    floor_rate, floor_max = data["floor_at_rate"], data["floor_max"]
    share = fastest["reviews_per_s"] / floor_max["reviews_per_s"]
    services_cpu = _services_cpu(fastest)
    consumer_cpu = floor_max["cpu_ms_per_mail"]["floor-events"]
    by_service = " / ".join(fmt(fastest["cpu_ms_per_mail"][s], 1) for s in SERVICES)

    def p50_p99(result: dict[str, Any]) -> str:
        return f"{fmt(result['p50_ms'], 0)} / {fmt(result['p99_ms'], 0)}"

    outcome = Outcome(data=data)
    outcome.targets = [
        Target(f"review->mail p99 at {rate} reviews/s", at_rate["p99_ms"], MAX_P99_S * 1000, " ms"),
        Target("reviews/s, as fast as possible, vs floor", share, MIN_THROUGHPUT_SHARE, "x", False),
    ]
    outcome.rows = [
        [f"at {rate}/s: review->mail p50 / p99 ms", p50_p99(at_rate), p50_p99(floor_rate), ""],
        [
            f"at {rate}/s: sustained reviews/s",
            fmt(at_rate["reviews_per_s"], 1),
            fmt(floor_rate["reviews_per_s"], 1),
            "",
        ],
        [
            "as fast as possible: reviews/s",
            fmt(fastest["reviews_per_s"], 1),
            fmt(floor_max["reviews_per_s"], 1),
            f"{share:.2f}x",
        ],
        ["as fast as possible: p50 / p99 ms", p50_p99(fastest), p50_p99(floor_max), ""],
        [
            "CPU ms/review: 4 services vs consumer",
            fmt(services_cpu),
            fmt(consumer_cpu),
            f"{services_cpu / max(0.01, consumer_cpu):.1f}x",
        ],
        ["  accounts / workspaces / miniprograms / notifier", by_service, "", ""],
        [
            "  Mongo server CPU ms/review",
            fmt(fastest["cpu_ms_per_mail"]["mongo"]),
            fmt(floor_max["cpu_ms_per_mail"]["mongo"]),
            "",
        ],
    ]
    for name, result in data.items():
        if isinstance(result, dict) and result["mailed"] < result["reviews"]:
            missing = str(result["reviews"] - result["mailed"])
            outcome.rows.append([f"  {name}: mails missing", missing, "", ""])
    return outcome
