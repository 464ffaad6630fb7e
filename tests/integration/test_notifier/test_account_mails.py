"""The accounts' own mails from the API to the mailbox: the verification link mailed at
signup, the reset link and then the notice that the password changed; each bilingual, once,
with a link whose token works (and is in clear in no delivery log)."""

import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp.test_utils import TestClient
from pymongo.asynchronous.collection import AsyncCollection

from shared.mongo import Document
from tests.support.accounts import new_email, sign_up
from tests.support.bus import wait_until
from tests.support.smtp import ReceivedMail, SmtpServer

from .conftest import MakeNotifierSettings, StartNotifier, mail_parts

CONSOLE = "https://console.mpp.test"
NEW_PASSWORD = "a brand new passphrase"


async def _mail(smtp: SmtpServer, email: str, subject: str) -> ReceivedMail:
    def found() -> list[ReceivedMail]:
        return [m for m in smtp.mails if m.rcpt_tos == [email] and subject in m.message["Subject"]]

    await wait_until(lambda: len(found()) >= 1, timeout=15)
    assert len(found()) == 1
    return found()[0]


def _link_token(mail: ReceivedMail, path: str) -> str:
    text, html = mail_parts(mail.message)
    links = re.findall(rf"{re.escape(CONSOLE)}{path}\?token=[^\s\"<]+", text)
    assert len(links) == 2  # once in English, once in Chinese
    assert len(set(links)) == 1
    assert f'href="{links[0]}"' in html
    return parse_qs(urlsplit(links[0]).query)["token"][0]


async def test_signup_mails_a_verification_link_that_verifies_the_email(
    accounts: TestClient[Any, Any],
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    notifications: AsyncCollection[Document],
    smtp: SmtpServer,
) -> None:
    await start_notifier(make_notifier_settings(console_url=CONSOLE))
    email = new_email()
    await sign_up(accounts, email=email, full_name="Grace Hopper")

    mail = await _mail(smtp, email, "Verify your email address / 验证您的邮箱地址")
    token = _link_token(mail, "/verify-email")
    text, _ = mail_parts(mail.message)
    verified = await accounts.post("/v1/email-verifications", json={"token": token})

    assert "Grace Hopper" in text
    assert "请打开以下链接" in text
    assert verified.status == 200
    assert (await verified.json())["account"]["email_verified"] is True
    logged = await notifications.find_one({"kind": "email_verification", "email": email})
    assert logged is not None
    assert logged["status"] == "sent"
    assert token not in json.dumps(logged, default=str)


async def test_a_reset_link_is_mailed_and_the_change_is_told_by_mail(
    accounts: TestClient[Any, Any],
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    smtp: SmtpServer,
) -> None:
    await start_notifier(make_notifier_settings(console_url=CONSOLE))
    email = new_email()
    await sign_up(accounts, email=email)

    await accounts.post("/v1/password-resets", json={"email": email})
    mail = await _mail(smtp, email, "Reset your password / 重置您的密码")
    token = _link_token(mail, "/reset-password")
    confirmed = await accounts.post(
        "/v1/password-resets/confirm", json={"token": token, "password": NEW_PASSWORD}
    )
    notice = await _mail(smtp, email, "Your password was changed / 您的密码已更改")

    assert confirmed.status == 204
    text, html = mail_parts(notice.message)
    assert "reset with a" in text
    assert "所有会话均已退出登录" in text
    assert "reset" in html
