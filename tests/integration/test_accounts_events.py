"""account.registered.v1 leaves accounts through the outbox and reaches real RabbitMQ."""

from collections.abc import Callable
from typing import Any

from aiohttp.test_utils import TestClient

from accounts.app import create_app
from accounts.settings import AccountsSettings
from tests.support.accounts import sign_up, signup_body
from tests.support.bus import events_probe, wait_until
from tests.support.infra import free_port, mongo_wire_server
from tests.support.tcp_proxy import TcpProxy


async def _ready(client: TestClient[Any, Any]) -> bool:
    return (await client.get("/readyz")).status == 200


async def test_signup_publishes_account_registered_to_a_real_queue(
    accounts: TestClient[Any, Any], rabbitmq_url: str
) -> None:
    await wait_until(lambda: _ready(accounts))
    async with events_probe(rabbitmq_url, ["account.registered.v1"]) as probe:
        session = await sign_up(accounts, full_name="Grace Hopper")

        event = await probe.next_event()

    assert event["type"] == "account.registered.v1"
    assert event["producer"] == "accounts"
    assert event["data"]["account_id"] == session["account"]["id"]
    assert event["data"]["email"] == session["account"]["email"]
    assert event["data"]["full_name"] == "Grace Hopper"
    assert event["data"]["roles"] == ["merchant"]
    assert event["correlation_id"]
    assert event["id"]
    assert event["occurred_at"]


async def test_signup_request_id_becomes_the_event_correlation_id(
    accounts: TestClient[Any, Any], rabbitmq_url: str
) -> None:
    await wait_until(lambda: _ready(accounts))
    async with events_probe(rabbitmq_url, ["account.registered.v1"]) as probe:
        response = await accounts.post(
            "/v1/accounts", json=signup_body(), headers={"X-Request-ID": "req-12345"}
        )
        assert response.status == 201
        assert response.headers["X-Request-ID"] == "req-12345"
        message = await probe.next_message()

    assert message.correlation_id == "req-12345"
    assert message.message_id
    assert message.content_type == "application/json"
    assert message.delivery_mode == 2


async def test_events_written_while_the_broker_is_unreachable_arrive_when_it_returns(
    make_settings: Callable[..., Any], serve: Callable[..., Any], rabbitmq_url: str
) -> None:
    proxy = TcpProxy("127.0.0.1", 5672)
    await proxy.start()
    vhost = rabbitmq_url.rsplit("/", 1)[1]
    settings = make_settings(
        AccountsSettings, rabbitmq_url=f"amqp://guest:guest@127.0.0.1:{proxy.port}/{vhost}"
    )
    accounts = await serve(create_app(settings))
    await wait_until(lambda: _ready(accounts))
    async with events_probe(rabbitmq_url, ["account.registered.v1"]) as probe:
        await proxy.cut()
        await wait_until(lambda: accounts_not_ready(accounts))

        session = await sign_up(accounts)  # the signup itself does not need the broker
        await probe.assert_empty(wait=1.5)

        await proxy.start()
        event = await probe.next_event(timeout=20)

    assert event["data"]["account_id"] == session["account"]["id"]
    await wait_until(lambda: _ready(accounts), timeout=20)
    await proxy.cut()


async def accounts_not_ready(client: TestClient[Any, Any]) -> bool:
    response = await client.get("/readyz")
    return response.status == 503 and (await response.json())["checks"]["rabbitmq"] == "down"


async def test_readyz_is_503_while_mongo_is_down_and_recovers(
    make_settings: Callable[..., Any], serve: Callable[..., Any]
) -> None:
    port = free_port()
    with mongo_wire_server(port) as (url, process):
        accounts = await serve(create_app(make_settings(AccountsSettings, mongo_url=url)))
        await wait_until(lambda: _ready(accounts))
        process.terminate()
        process.wait(timeout=10)

        response = await accounts.get("/readyz")
        assert response.status == 503
        assert (await response.json())["checks"]["mongo"] == "down"
        signup = await accounts.post("/v1/accounts", json=signup_body())
        assert signup.status == 503
        assert signup.content_type == "application/problem+json"

    with mongo_wire_server(port):
        await wait_until(lambda: _ready(accounts), timeout=20)
        await sign_up(accounts)
