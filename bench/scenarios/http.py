"""HTTP: each endpoint on the service and on the bare floor, at the same fixed concurrency.

Order: create mini programs (their ids feed the reads), read them, log in."""

import math
from collections.abc import Callable
from typing import Any

import aiohttp

from bench import seed
from bench.measure import Request
from bench.scenarios.common import Context, Outcome, Target, fmt, measured
from tests.support.accounts import STRONG_PASSWORD
from tests.support.images import image_bytes
from tests.support.miniprograms import VALID

# Service CPU per request may be at most this multiple of the floor's.
MAX_CPU_RATIO = 1.3
LOGO = image_bytes("PNG", 128, 128)


def _creates(base: str, workspaces: list[str], users: list[seed.User]) -> Callable[[int], Request]:
    def make(i: int) -> Request:
        # Round robin: consecutive creates go to different workspaces, each gets at most 10.
        k = i % len(workspaces)
        form = aiohttp.FormData()
        for name, value in {**VALID, "workspace_id": workspaces[k], "name": f"Bench {i}"}.items():
            form.add_field(name, value)
        form.add_field("logo", LOGO, filename="logo.png", content_type="image/png")
        return Request(
            "POST", f"{base}/v1/mini-programs", 201, {"data": form, "headers": users[k].auth}
        )

    return make


def _reads(
    base: str, created: list[dict[str, Any]], owner_of: dict[str, seed.User]
) -> Callable[[int], Request]:
    def make(i: int) -> Request:
        mini_program = created[i % len(created)]
        owner = owner_of[mini_program["workspace_id"]]
        url = f"{base}/v1/mini-programs/{mini_program['id']}"
        return Request("GET", url, 200, {"headers": owner.auth})

    return make


def _logins(base: str, email: str) -> Callable[[int], Request]:
    body = {"email": email, "password": STRONG_PASSWORD}
    return lambda _: Request("POST", f"{base}/v1/sessions", 200, {"json": body})


async def run(ctx: Context) -> Outcome:
    stack, sizes = ctx.stack, ctx.sizes
    n_workspaces = math.ceil((sizes.create_warmup + sizes.create_count) / 10)
    users = [seed.new_user(stack, "owner") for _ in range(n_workspaces)]
    login_email = "bench-login@example.com"
    platform_ws = await seed.workspaces(ctx.http, stack, users)
    await seed.sign_up(ctx.http, stack, login_email)
    floor_ws = await seed.floor_data(stack, users=users, login_email=login_email)

    targets = {
        "platform": ("miniprograms", stack.url("miniprograms"), platform_ws),
        "floor": ("floor", stack.url("floor"), floor_ws),
    }
    outcome = Outcome()
    for side, (process, base, workspaces) in targets.items():
        create = _creates(base, workspaces, users)
        result, summary = await measured(
            ctx,
            process=process,
            make=create,
            warmup=sizes.create_warmup,
            count=sizes.create_count,
            keep_bodies=True,
            concurrency=sizes.concurrency,
        )
        outcome.data.setdefault("POST /v1/mini-programs", {})[side] = summary
        owner_of = dict(zip(workspaces, users, strict=True))
        _, summary = await measured(
            ctx,
            process=process,
            make=_reads(base, result.bodies, owner_of),
            warmup=sizes.get_warmup,
            count=sizes.get_count,
            concurrency=sizes.concurrency,
        )
        outcome.data.setdefault("GET /v1/mini-programs/{id}", {})[side] = summary
    for side, (process, base) in {
        "platform": ("accounts", stack.url("accounts")),
        "floor": ("floor", stack.url("floor")),
    }.items():
        _, summary = await measured(
            ctx,
            process=process,
            make=_logins(base, login_email),
            warmup=sizes.login_warmup,
            count=sizes.login_count,
            concurrency=sizes.concurrency,
        )
        outcome.data.setdefault("POST /v1/sessions", {})[side] = summary

    for endpoint, sides in outcome.data.items():
        platform, floor = sides["platform"], sides["floor"]
        ratio = platform["cpu_ms_per_request"] / floor["cpu_ms_per_request"]
        outcome.targets.append(
            Target(f"{endpoint} service CPU/request vs floor", ratio, MAX_CPU_RATIO, "x")
        )
        outcome.rows += [
            [
                f"{endpoint}  CPU ms/req",
                fmt(platform["cpu_ms_per_request"]),
                fmt(floor["cpu_ms_per_request"]),
                f"{ratio:.2f}x",
            ],
            [
                "  throughput req/s",
                fmt(platform["throughput_rps"], 0),
                fmt(floor["throughput_rps"], 0),
                f"{platform['throughput_rps'] / floor['throughput_rps']:.2f}x",
            ],
            [
                "  latency p50 / p99 ms",
                f"{fmt(platform['p50_ms'], 1)} / {fmt(platform['p99_ms'], 1)}",
                f"{fmt(floor['p50_ms'], 1)} / {fmt(floor['p99_ms'], 1)}",
                "",
            ],
            [
                "  Mongo server CPU ms/req",
                fmt(platform["db_cpu_ms_per_request"]),
                fmt(floor["db_cpu_ms_per_request"]),
                "",
            ],
            [
                "  still busy after the window s",
                fmt(platform["busy_after_window_s"], 1),
                fmt(floor["busy_after_window_s"], 1),
                "",
            ],
        ]
        for side, summary in sides.items():
            if summary["errors"]:
                outcome.rows.append([f"  {side} errors", str(summary["errors"]), "", ""])
    return outcome
