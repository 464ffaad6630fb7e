"""Memory: resident memory (VmRSS) of each service idle after start, and after a
representative mix of read requests across the services."""

import uuid
from collections.abc import Callable

from bench import seed
from bench.measure import Request, closed_loop, rss_mib
from bench.scenarios.common import Context, Outcome, fmt
from bench.stack import SERVICES
from tests.support.images import image_bytes
from tests.support.miniprograms import VALID


async def _fixtures(ctx: Context) -> Callable[[int], Request]:
    """A merchant with a workspace and a mini program, and an admin; returns the mix."""
    stack = ctx.stack
    owner = seed.new_user(stack, "memory")
    (workspace_id,) = await seed.workspaces(ctx.http, stack, [owner])
    form = {**VALID, "workspace_id": workspace_id, "logo": image_bytes("PNG", 128, 128)}
    async with ctx.http.post(
        stack.url("miniprograms", "/v1/mini-programs"), data=form, headers=owner.auth
    ) as response:
        assert response.status == 201, await response.text()
        mini_program_id = (await response.json())["id"]
    member = await seed.sign_up(ctx.http, stack, f"memory-{uuid.uuid4().hex[:8]}@example.com")
    admin = seed.staff(stack, "admin")
    mix = [
        ("miniprograms", f"/v1/mini-programs/{mini_program_id}", owner),
        ("miniprograms", f"/v1/mini-programs/{mini_program_id}", owner),
        ("miniprograms", f"/v1/mini-programs?workspace_id={workspace_id}", owner),
        ("miniprograms", "/v1/industries?q=food", owner),
        ("accounts", "/v1/accounts/me", member),
        ("accounts", "/v1/accounts/me", member),
        ("workspaces", f"/v1/workspaces/{workspace_id}", owner),
        ("workspaces", "/v1/workspace-applications/current", owner),
        ("workspaces", "/v1/workspaces", owner),
        ("notifier", f"/v1/notifications?account_id={owner.account_id}", admin),
    ]
    requests = [Request("GET", stack.url(s, path), 200, {"headers": u.auth}) for s, path, u in mix]
    return lambda i: requests[i % len(requests)]


async def run(ctx: Context) -> Outcome:
    stack, sizes = ctx.stack, ctx.sizes
    make = await _fixtures(ctx)
    result = await closed_loop(
        ctx.http, make, concurrency=sizes.concurrency, count=sizes.memory_requests
    )
    after = {s: rss_mib(stack.pid(s)) for s in SERVICES}
    idle = ctx.idle_rss_mib
    outcome = Outcome(
        data={
            "requests": result.summary(),
            "rss_mib_idle": {s: round(v, 1) for s, v in idle.items()},
            f"rss_mib_after_{sizes.memory_requests}_requests": {
                s: round(v, 1) for s, v in after.items()
            },
        }
    )
    outcome.rows = [
        [
            f"{s} RSS MiB (after {sizes.memory_requests} req vs idle)",
            fmt(after[s], 1),
            fmt(idle[s], 1),
            f"+{after[s] - idle[s]:.1f}",
        ]
        for s in SERVICES
    ]
    outcome.rows.append(
        ["mix throughput req/s (10 GETs over 4 services)", fmt(result.throughput, 0), "", ""]
    )
    if result.errors:
        outcome.rows.append(["  errors", str(dict(result.errors)), result.error_sample[:60], ""])
    return outcome
