"""The reviewer sees whether an applicant's email is verified: accounts publishes
account.email_verified.v1, which workspaces projects into its accounts directory."""

from typing import Any

from aiohttp.test_utils import TestClient

from shared.sealing import Sealer
from tests.conftest import TEST_MAIL_LINK_KEY
from tests.support.accounts import new_email, sign_up, staff_token
from tests.support.bus import events_probe, wait_until
from tests.support.workspaces import apply


async def test_the_queue_and_the_detail_show_when_the_applicant_verifies_the_email(
    accounts: TestClient[Any, Any], workspaces: TestClient[Any, Any], rabbitmq_url: str
) -> None:
    email = new_email()
    async with events_probe(rabbitmq_url, ["account.email_verification.requested.v1"]) as mails:
        applicant = (await sign_up(accounts, email=email))["tokens"]["access_token"]
        sealed = (await mails.next_event())["data"]["sealed_token"]
    reviewer = {"Authorization": f"Bearer {await staff_token(accounts, 'reviewer')}"}

    application = await apply(workspaces, applicant)

    async def applicant_in_queue() -> dict[str, Any]:
        queue = await (await workspaces.get("/v1/review/applications", headers=reviewer)).json()
        found = [a for a in queue["items"] if a["id"] == application["id"]]
        return found[0]["applicant"] if found else {}

    before = await applicant_in_queue()
    async with events_probe(rabbitmq_url, ["account.email_verified.v1"]) as verified_events:
        token = Sealer([TEST_MAIL_LINK_KEY]).unseal(sealed)
        assert (await accounts.post("/v1/email-verifications", json={"token": token})).status == 200
        event = await verified_events.next_event()

    async def detail_verified() -> bool:
        detail = await workspaces.get(
            f"/v1/review/applications/{application['id']}", headers=reviewer
        )
        return bool((await detail.json())["applicant"]["email_verified"])

    await wait_until(detail_verified, timeout=15)
    assert before["email_verified"] is False
    assert (await applicant_in_queue())["email_verified"] is True
    assert event["data"]["email"] == email
    own = await workspaces.get(
        "/v1/workspace-applications/current", headers={"Authorization": f"Bearer {applicant}"}
    )
    assert (await own.json())["applicant"]["email_verified"] is None  # a reviewer's view only
