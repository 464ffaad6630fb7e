"""Part of `make dev`: wait for the services, create the dev reviewer and admin, print where
things are.

It then idles, because honcho stops the whole stack when any of its processes exits.
"""

import asyncio
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp

SERVICES = ("accounts", "workspaces", "miniprograms", "notifier")
PORT_BASE = int(os.environ.get("DEV_PORT_BASE", "8001"))
ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = ROOT / os.environ.get("DATA_DIR", ".data")
REVIEWER_EMAIL = os.environ.get("DEV_REVIEWER_EMAIL", "reviewer@mpp.local")
REVIEWER_PASSWORD = os.environ.get("DEV_REVIEWER_PASSWORD", "review-the-merchants")
RABBITMQ_URL = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")
ADMIN_EMAIL = os.environ.get("DEV_ADMIN_EMAIL", "admin@mpp.local")
ADMIN_PASSWORD = os.environ.get("DEV_ADMIN_PASSWORD", "administer-the-platform")


def _without_password(url: str) -> str:
    parsed = urlsplit(url)
    if parsed.password is None or parsed.password == "guest":  # noqa: S105 (the known default)
        return url
    return url.replace(f":{parsed.password}@", ":***@", 1)


def running_services() -> dict[str, int]:
    return {
        name: PORT_BASE + i
        for i, name in enumerate(SERVICES)
        if (ROOT / "services" / name / name / "__main__.py").exists()
    }


async def wait_ready(session: aiohttp.ClientSession, name: str, port: int) -> None:
    for _ in range(120):
        try:
            async with session.get(f"http://127.0.0.1:{port}/readyz") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.5)
    print(f"!! {name} is not ready after 60 s; see its log lines above", flush=True)


async def create_staff(*, email: str, password: str, role: str) -> None:
    """The operator command, as an operator would run it (idempotent: an existing account
    only gains the role)."""
    env = {**os.environ, "MONGO_DATABASE": "accounts", "LOG_LEVEL": "WARNING"}
    staff = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "accounts",
        "create-staff",
        "--email",
        email,
        "--role",
        role,
        "--full-name",
        f"Dev {role.capitalize()}",
        "--password-stdin",
        stdin=asyncio.subprocess.PIPE,
        env=env,
    )
    await staff.communicate(f"{password}\n".encode())


async def main() -> None:
    services = running_services()
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        await asyncio.gather(*(wait_ready(session, n, p) for n, p in services.items()))
    await create_staff(email=REVIEWER_EMAIL, password=REVIEWER_PASSWORD, role="reviewer")
    await create_staff(email=ADMIN_EMAIL, password=ADMIN_PASSWORD, role="admin")
    lines = [
        f"  {name:<13} http://127.0.0.1:{port}   (/openapi.json, /readyz, /metrics)"
        for name, port in services.items()
    ]
    print(
        "\n".join(
            [
                "",
                "Mini Program Platform is running:",
                f"  console       http://127.0.0.1:{PORT_BASE - 1}   (and every API: one origin)",
                *lines,
                f"  reviewer      {REVIEWER_EMAIL} / {REVIEWER_PASSWORD}",
                f"  admin         {ADMIN_EMAIL} / {ADMIN_PASSWORD}",
                f"  mailbox       {DATA_DIR / 'mail'} (Maildir)",
                f"  RabbitMQ      {_without_password(RABBITMQ_URL)}",
                "Ctrl-C stops it all.",
                "",
            ]
        ),
        flush=True,
    )
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
