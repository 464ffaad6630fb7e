"""An invitation from the workspaces API to the invitee's mailbox: one bilingual mail whose
link carries the token (which then accepts), sent once however often the event arrives, and
the token in clear nowhere in the delivery log."""

import asyncio
import json
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from aiohttp.test_utils import TestClient
from pymongo.asynchronous.collection import AsyncCollection

from notifier.settings import NotifierSettings
from shared.events import Envelope
from shared.mongo import Document
from tests.support.accounts import new_email, sign_up
from tests.support.bus import events_probe, wait_until
from tests.support.smtp import SmtpServer
from tests.support.teams import INVITATION_CREATED, accept, invite, owner_with_workspace

from .conftest import MakeNotifierSettings, Publish, StartNotifier, mail_parts

CONSOLE = "https://console.mpp.test"


async def test_an_invitation_is_mailed_once_in_both_languages_with_a_link_that_accepts(
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    make_notifier_settings: MakeNotifierSettings,
    start_notifier: StartNotifier,
    notifications: AsyncCollection[Document],
    publish: Publish,
    smtp: SmtpServer,
    rabbitmq_url: str,
) -> None:
    settings: NotifierSettings = make_notifier_settings(console_url=CONSOLE)
    await start_notifier(settings)
    owner_signup, workspace = await owner_with_workspace(
        accounts, workspaces, company_name="Acme 分析机"
    )
    owner = owner_signup["tokens"]["access_token"]
    email = new_email("invitee")

    async with events_probe(rabbitmq_url, [INVITATION_CREATED]) as probe:
        created = await invite(workspaces, owner, workspace["id"], email, "developer")
        assert created.status == 201, await created.text()
        event = Envelope.model_validate(await probe.next_event())

    def invitations() -> list[Any]:  # the owner got the approval mail too
        return [m for m in smtp.mails if m.rcpt_tos == [email]]

    await wait_until(lambda: len(invitations()) == 1, timeout=15)
    mail = invitations()[0]
    message = mail.message
    assert mail.rcpt_tos == [email]
    assert message["Message-ID"] == f"<{event.id}@notifier.mpp>"
    assert message["Subject"] == "You are invited to join a workspace / 您受邀加入工作空间"
    text, html = mail_parts(message)
    for part in (text, html):
        assert "Acme 分析机" in part
        assert "invites you to join the workspace" in part
        assert "邀请您以开发者身份加入" in part
    links = re.findall(rf"{re.escape(CONSOLE)}/invitations/accept\?token=[^\s\"<]+", text)
    assert len(links) == 2  # once in English, once in Chinese
    assert len(set(links)) == 1
    assert f'href="{links[0]}"' in html
    token = parse_qs(urlsplit(links[0]).query)["token"][0]

    # The same event again (a redelivery, a re-drive): no second mail.
    await publish(event)
    await asyncio.sleep(1.0)
    assert len(invitations()) == 1
    doc = await notifications.find_one({"_id": event.id})
    assert doc is not None
    assert (doc["kind"], doc["status"], doc["account_id"]) == ("workspace_invitation", "sent", None)
    assert doc["about"]["invitation_id"] == (await created.json())["id"]
    assert token not in json.dumps(doc, default=str)  # kept sealed, for a resend

    invitee = await sign_up(accounts, email=email)
    joined = await accept(workspaces, invitee["tokens"]["access_token"], token)
    assert joined.status == 200, await joined.text()
    assert (await joined.json())["workspace"]["my_role"] == "developer"
