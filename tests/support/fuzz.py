"""The whole platform in-process for one test module, and the tenants its tests act as.

The conftest fixtures start each service per test; the fuzz and authorization tests instead
build the platform and its tenants once per module (signing up, applying, approving and
waiting for the workspace events costs seconds) and then only read it or poke at it.
"""

import importlib.util
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from accounts.app import create_app as create_accounts_app
from accounts.settings import AccountsSettings
from miniprograms.app import create_app as create_miniprograms_app
from miniprograms.settings import MiniProgramsSettings
from shared.runtime import BUS_KEY
from shared.sealing import generate_key
from shared.settings import ServiceSettings
from tests.support.accounts import bearer, new_email, sign_up, staff_token
from tests.support.bus import delete_queues, wait_until
from tests.support.images import image_bytes
from tests.support.infra import free_port
from tests.support.miniprograms import create
from tests.support.workspaces import (
    COMPLETE_FORM,
    active_workspace,
    apply,
    decide,
    save_draft,
    submit,
)
from workspaces.app import create_app as create_workspaces_app
from workspaces.settings import WorkspacesSettings

# The notifier is being built; every test that covers it runs once its app exists.
HAS_NOTIFIER = importlib.util.find_spec("notifier.app") is not None

type Client = TestClient[Any, Any]


@dataclass
class Platform:
    clients: dict[str, Client] = field(default_factory=dict)

    def __getitem__(self, service: str) -> Client:
        return self.clients[service]

    @property
    def accounts(self) -> Client:
        return self.clients["accounts"]

    @property
    def workspaces(self) -> Client:
        return self.clients["workspaces"]

    @property
    def miniprograms(self) -> Client:
        return self.clients["miniprograms"]


@asynccontextmanager
async def running_platform(*, mongo_url: str, rabbitmq_url: str) -> AsyncIterator[Platform]:
    """Every service on a real loopback port, one database each, queues private to this run,
    the others verifying tokens against this accounts service. Stopped and its queues deleted
    on exit."""
    run = f"test_{uuid.uuid4().hex[:12]}"

    def settings[S: ServiceSettings](cls: type[S], **overrides: Any) -> S:
        service = cls.model_fields["service_name"].default
        values: dict[str, Any] = {
            "mongo_url": mongo_url,
            "mongo_database": f"{run}_{service}",
            "rabbitmq_url": rabbitmq_url,
            "bus_retry_delays_ms": [100, 200],
            "outbox_poll_interval_s": 0.2,
            "log_json": False,
            "mongo_timeout_ms": 1000,
            "bus_queue_suffix": f".{run}",
            **overrides,
        }
        made: S = cls(**values)
        return made

    platform = Platform()

    async def serve(name: str, app: web.Application) -> None:
        client: Client = TestClient(TestServer(app))
        await client.start_server()
        platform.clients[name] = client

    try:
        accounts = settings(AccountsSettings, totp_secret_key=generate_key())
        await serve("accounts", create_accounts_app(accounts))
        jwks_url = str(platform.accounts.make_url("/.well-known/jwks.json"))
        await serve(
            "workspaces", create_workspaces_app(settings(WorkspacesSettings, jwks_url=jwks_url))
        )
        await serve(
            "miniprograms",
            create_miniprograms_app(settings(MiniProgramsSettings, jwks_url=jwks_url)),
        )
        if HAS_NOTIFIER:
            from notifier.app import create_app as create_notifier_app
            from notifier.settings import NotifierSettings

            # Nothing listens on this port: review mails fail fast and are retried, then dead.
            # These tests look at the notifier's HTTP API, not at its mail.
            notifier_settings = settings(
                NotifierSettings, jwks_url=jwks_url, smtp_port=free_port(), smtp_timeout_s=1.0
            )
            await serve("notifier", create_notifier_app(notifier_settings))
        yield platform
    finally:
        queues: list[str] = []
        for client in platform.clients.values():
            if BUS_KEY in client.app:
                queues += client.app[BUS_KEY].declared_queues
            await client.close()
        await delete_queues(rabbitmq_url, sorted(set(queues)))


@dataclass(frozen=True)
class Tenants:
    """Owner A: approved application, active workspace with a developer member (known to
    miniprograms too) and one mini program. Stranger B: a merchant with no workspace. An
    applicant whose application, with a logo, waits for review. Staff: a reviewer and an
    admin."""

    owner_token: str
    owner_id: str
    owner_session_id: str
    application_id: str
    workspace_id: str
    mini_program_id: str
    developer_token: str
    developer_id: str
    developer_email: str
    stranger_token: str
    stranger_id: str
    pending_application_id: str
    reviewer_token: str
    admin_token: str
    invitation_id: str = ""  # a pending invitation of A's workspace


async def set_up_tenants(platform: Platform) -> Tenants:
    accounts, workspaces = platform.accounts, platform.workspaces
    owner = await sign_up(accounts)
    owner_token = owner["tokens"]["access_token"]
    reviewer_token = await staff_token(accounts, "reviewer")
    admin_token = await staff_token(accounts, "admin")

    application = await apply(workspaces, owner_token)
    approved = await decide(workspaces, reviewer_token, application["id"], "approve")
    assert approved.status == 200, await approved.text()
    workspace_id = (await active_workspace(workspaces, owner_token))["id"]

    developer_email = new_email("developer")
    developer = await sign_up(accounts, email=developer_email)

    async def developer_added() -> bool:
        # The workspaces service learns accounts from account.registered.v1: retry until then.
        response = await workspaces.post(
            f"/v1/workspaces/{workspace_id}/members",
            json={"email": developer_email, "role": "developer"},
            headers=bearer(owner_token),
        )
        return bool(response.status == 201)

    await wait_until(developer_added, timeout=15)

    created: dict[str, Any] = {}

    async def mini_program_created() -> bool:
        # Miniprograms learns the owner from workspace.created.v1: retry until then.
        response = await create(platform.miniprograms, owner_token, workspace_id)
        if response.status == 201:
            created.update(await response.json())
        return bool(response.status == 201)

    await wait_until(mini_program_created, timeout=15)
    developer_token = developer["tokens"]["access_token"]

    async def developer_known_to_miniprograms() -> bool:
        response = await platform.miniprograms.get(
            f"/v1/mini-programs?workspace_id={workspace_id}", headers=bearer(developer_token)
        )
        return bool(response.status == 200)

    await wait_until(developer_known_to_miniprograms, timeout=15)

    invited = await workspaces.post(
        f"/v1/workspaces/{workspace_id}/invitations",
        json={"email": new_email("invitee"), "role": "master"},
        headers=bearer(owner_token),
    )
    assert invited.status == 201, await invited.text()

    stranger = await sign_up(accounts)
    applicant = (await sign_up(accounts))["tokens"]["access_token"]
    await save_draft(workspaces, applicant, **{**COMPLETE_FORM, "company_name": "Pending"})
    logo = await workspaces.put(
        "/v1/workspace-applications/draft/logo",
        data=image_bytes("PNG", 64, 64),
        headers={**bearer(applicant), "Content-Type": "image/png"},
    )
    assert logo.status == 200, await logo.text()
    pending = await submit(workspaces, applicant)
    return Tenants(
        invitation_id=(await invited.json())["id"],
        owner_token=owner_token,
        owner_id=owner["account"]["id"],
        owner_session_id=owner["session_id"],
        application_id=application["id"],
        workspace_id=workspace_id,
        mini_program_id=created["id"],
        developer_token=developer_token,
        developer_id=developer["account"]["id"],
        developer_email=developer_email,
        stranger_token=stranger["tokens"]["access_token"],
        stranger_id=stranger["account"]["id"],
        pending_application_id=pending["id"],
        reviewer_token=reviewer_token,
        admin_token=admin_token,
    )
