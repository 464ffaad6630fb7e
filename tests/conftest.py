"""Fixtures shared by every test level: real Mongo (wire), real RabbitMQ, real SMTP."""

import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from accounts.app import create_app as create_accounts_app
from accounts.settings import AccountsSettings
from miniprograms.app import create_app as create_miniprograms_app
from miniprograms.settings import MiniProgramsSettings
from shared.runtime import BUS_KEY
from shared.sealing import generate_key
from shared.settings import ServiceSettings
from tests.support.bus import delete_queues
from tests.support.infra import mongo_wire_server, rabbitmq_vhost
from workspaces.app import create_app as create_workspaces_app
from workspaces.settings import WorkspacesSettings


@pytest.fixture(scope="session")
def mongo_url() -> Iterator[str]:
    if url := os.environ.get("MONGO_URL"):
        yield url
        return
    with mongo_wire_server() as (url, _):
        yield url


@pytest.fixture(scope="session")
def rabbitmq_url() -> Iterator[str]:
    with rabbitmq_vhost() as url:
        yield url


# The tests' MAIL_LINK_KEY (shared.sealing), so a test can open a sealed token too.
TEST_MAIL_LINK_KEY = generate_key()
# The tests' TOTP_SECRET_KEY (accounts seals each TOTP secret with it).
TEST_TOTP_SECRET_KEY = generate_key()


@pytest.fixture
def make_settings[S: ServiceSettings](mongo_url: str, rabbitmq_url: str) -> Callable[..., Any]:
    """Settings of a service under test: its own fresh database, queues private to the test,
    fast retries and polls."""
    database = f"test_{uuid.uuid4().hex[:12]}"

    def make(cls: type[S], **overrides: Any) -> S:
        service = cls.model_fields["service_name"].default
        values: dict[str, Any] = {
            "mongo_url": mongo_url,
            "mongo_database": f"{database}_{service}",  # each service owns its database
            "rabbitmq_url": rabbitmq_url,
            "bus_retry_delays_ms": [100, 200],
            "outbox_poll_interval_s": 0.2,
            "log_json": False,
            "mongo_timeout_ms": 1000,
            "bus_queue_suffix": f".{database}",
            # One key for every service of the run: what workspaces seals the notifier opens.
            "mail_link_key": TEST_MAIL_LINK_KEY,
        }
        if "totp_secret_key" in cls.model_fields:
            values["totp_secret_key"] = TEST_TOTP_SECRET_KEY
        values.update(overrides)
        return cls(**values)

    return make


@pytest.fixture
async def serve(rabbitmq_url: str) -> AsyncIterator[Callable[[web.Application], Any]]:
    """Start an app on a real loopback port and return a client for it; afterwards stop it
    and delete the queues it declared."""
    clients: list[TestClient[Any, Any]] = []

    async def start(app: web.Application) -> TestClient[Any, Any]:
        client = TestClient(TestServer(app))
        await client.start_server()
        clients.append(client)
        return client

    yield start
    queues: list[str] = []
    for client in clients:
        if BUS_KEY in client.app:
            queues += client.app[BUS_KEY].declared_queues
        await client.close()
    await delete_queues(rabbitmq_url, sorted(set(queues)))


@pytest.fixture
def accounts_settings(make_settings: Callable[..., Any]) -> AccountsSettings:
    settings: AccountsSettings = make_settings(AccountsSettings)
    return settings


@pytest.fixture
async def accounts(
    accounts_settings: AccountsSettings, serve: Callable[..., Any]
) -> TestClient[Any, Any]:
    """The accounts service in-process on a real port, with its own database."""
    client: TestClient[Any, Any] = await serve(create_accounts_app(accounts_settings))
    return client


@pytest.fixture
async def workspaces(
    make_settings: Callable[..., Any], serve: Callable[..., Any], accounts: TestClient[Any, Any]
) -> TestClient[Any, Any]:
    """The workspaces service in-process, verifying tokens with the accounts service's JWKS."""
    settings = make_settings(
        WorkspacesSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
    )
    client: TestClient[Any, Any] = await serve(create_workspaces_app(settings))
    return client


@pytest.fixture
async def miniprograms(
    make_settings: Callable[..., Any], serve: Callable[..., Any], accounts: TestClient[Any, Any]
) -> TestClient[Any, Any]:
    """The miniprograms service in-process, verifying tokens with the accounts service's JWKS."""
    settings = make_settings(
        MiniProgramsSettings, jwks_url=str(accounts.make_url("/.well-known/jwks.json"))
    )
    client: TestClient[Any, Any] = await serve(create_miniprograms_app(settings))
    return client
