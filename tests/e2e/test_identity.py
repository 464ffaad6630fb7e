"""Identity across the processes: the verification and reset links read from the mailbox
work, and the reset ends the session everywhere (another service refuses its token)."""

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
import pytest

from tests.support.accounts import STRONG_PASSWORD, new_email
from tests.support.bus import wait_until
from tests.support.smtp import SmtpServer
from tests.support.stack import PlatformClient, Stack

pytestmark = pytest.mark.slow
NEW_PASSWORD = "a brand new passphrase"


async def _mail_text(smtp: SmtpServer, email: str, subject: str) -> str:
    def found() -> list[Any]:
        return [m for m in smtp.mails if m.rcpt_tos == [email] and subject in m.message["Subject"]]

    await wait_until(lambda: len(found()) == 1, timeout=20)
    text: str = found()[0].message.get_body(("plain",)).get_content()
    return text


async def _link_token(smtp: SmtpServer, email: str, subject: str) -> str:
    text = await _mail_text(smtp, email, subject)
    link = re.findall(r"https?://\S+\?token=\S+", text)[0]
    return parse_qs(urlsplit(link).query)["token"][0]


async def test_the_mailed_links_verify_the_email_and_reset_the_password_everywhere(
    stack: Stack, smtp: SmtpServer
) -> None:
    email = new_email()
    async with aiohttp.ClientSession() as http:
        merchant = PlatformClient(stack, http)
        status, signup = await merchant.call(
            "accounts",
            "POST",
            "/v1/accounts",
            json={
                "email": email,
                "password": STRONG_PASSWORD,
                "full_name": "Ada Merchant",
                "accept_terms": True,
            },
        )
        assert status == 201
        merchant.token = signup["tokens"]["access_token"]

        token = await _link_token(smtp, email, "Verify your email address")
        status, verified = await merchant.call(
            "accounts", "POST", "/v1/email-verifications", json={"token": token}
        )
        assert (status, verified["account"]["email_verified"]) == (200, True)

        status, _ = await merchant.call(
            "accounts", "POST", "/v1/password-resets", json={"email": email}
        )
        assert status == 202
        token = await _link_token(smtp, email, "Reset your password")
        status, _ = await merchant.call(
            "accounts",
            "POST",
            "/v1/password-resets/confirm",
            json={"token": token, "password": NEW_PASSWORD},
        )
        assert status == 204

        async def refused_by_workspaces() -> bool:
            status, _ = await merchant.call("workspaces", "GET", "/v1/workspaces")
            return status == 401

        await wait_until(refused_by_workspaces, timeout=10)
        assert "reset with a" in await _mail_text(smtp, email, "Your password was changed")
        session = await merchant.log_in(email, NEW_PASSWORD)
        assert session["account"]["email_verified"] is True
