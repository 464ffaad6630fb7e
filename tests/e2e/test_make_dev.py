"""`make dev`'s script brings the platform up, answers a signup, delivers mail, stops on Ctrl-C."""

import asyncio
import os
import signal
from pathlib import Path

import aiohttp
import pytest

from tests.support.accounts import STRONG_PASSWORD, new_email
from tests.support.bus import wait_until
from tests.support.infra import ROOT, free_port

pytestmark = pytest.mark.slow


def _free_port_run(count: int) -> int:
    """The first of `count` consecutive free ports."""
    while True:
        base = free_port()
        if base + count < 65000 and all(_is_free(base + i) for i in range(count)):
            return base


def _is_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


async def test_the_dev_stack_serves_a_signup_mails_a_decision_shows_it_to_the_admin_and_stops(
    tmp_path: Path, rabbitmq_url: str
) -> None:
    base = _free_port_run(5) + 1  # the gateway takes the port below the services
    env = {
        **os.environ,
        "DATA_DIR": str(tmp_path / "data"),
        "DEV_PORT_BASE": str(base),
        "DEV_MONGO_PORT": str(free_port()),
        "SMTP_PORT": str(free_port()),
        "RABBITMQ_URL": rabbitmq_url,
        "BUS_QUEUE_SUFFIX": f".dev-{base}",
    }
    env.pop("MONGO_URL", None)
    process = await asyncio.create_subprocess_exec(
        "bash",
        "deploy/local/dev.sh",
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output: list[str] = []

    async def read_output() -> None:
        assert process.stdout is not None
        async for line in process.stdout:
            output.append(line.decode(errors="replace"))

    reader = asyncio.create_task(read_output())
    try:
        await wait_until(
            lambda: any("Ctrl-C stops it all" in line for line in output), timeout=90, interval=0.2
        )
        url = f"http://127.0.0.1:{base - 1}"  # the one origin: every API through the gateway
        async with aiohttp.ClientSession() as http:
            email = new_email()
            signup = await http.post(
                f"{url}/v1/accounts",
                json={
                    "email": email,
                    "password": STRONG_PASSWORD,
                    "full_name": "Ada",
                    "accept_terms": True,
                },
            )
            assert signup.status == 201
            signed_up = await signup.json()
            token = signed_up["tokens"]["access_token"]
            merchant = {"Authorization": f"Bearer {token}"}
            await http.put(
                f"{url}/v1/workspace-applications/draft",
                json={"role": "technical_merchant", "company_name": "Acme"},
                headers=merchant,
            )
            submitted = await http.post(
                f"{url}/v1/workspace-applications/draft/submit",
                headers=merchant,
            )
            application = await submitted.json()
            login = await http.post(
                f"{url}/v1/sessions",
                json={"email": "reviewer@mpp.local", "password": "review-the-merchants"},
            )
            reviewer = {"Authorization": f"Bearer {(await login.json())['tokens']['access_token']}"}
            decided = await http.post(
                f"{url}/v1/review/applications/{application['id']}/decision",
                json={"decision": "reject", "reason": "Missing licence"},
                headers=reviewer,
            )
            assert decided.status == 200

        maildir = tmp_path / "data" / "mail" / "new"

        def mails_to_the_merchant() -> list[str]:
            # The staff's own verification mails land in the same Maildir.
            mails = [m.read_text() for m in maildir.iterdir()] if maildir.exists() else []
            return [m for m in mails if f"To: {email}" in m]

        # The signup's verification mail and the decision's.
        await wait_until(lambda: len(mails_to_the_merchant()) == 2, timeout=30)
        async with aiohttp.ClientSession() as http:
            admin_login = await http.post(
                f"{url}/v1/sessions",
                json={"email": "admin@mpp.local", "password": "administer-the-platform"},
            )
            assert admin_login.status == 200
            admin = await admin_login.json()
            assert "admin" in admin["account"]["roles"]
            admin_token = admin["tokens"]["access_token"]
            delivery_log = await http.get(
                f"{url}/v1/notifications",
                params={"account_id": signed_up["account"]["id"]},
                headers={"Authorization": f"Bearer {admin_token}"},
            )
            assert delivery_log.status == 200
            kinds = sorted(n["kind"] for n in (await delivery_log.json())["items"])
            assert kinds == ["email_verification", "review_rejected"]
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C
        try:
            await asyncio.wait_for(process.wait(), 30)
        finally:
            reader.cancel()
    leftovers = await asyncio.create_subprocess_exec(
        "pgrep", "-f", str(tmp_path / "data"), stdout=asyncio.subprocess.PIPE
    )
    assert (await leftovers.communicate())[0].strip() == b"", "processes outlived Ctrl-C"
