"""One trace from the reviewer's decision to the notifier's mail, across the outbox and the
bus (W3C trace context in the event and the message headers)."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from notifier.app import create_app as create_notifier_app
from notifier.settings import NotifierSettings
from shared.runtime import BUS_KEY
from shared.tracing import disable_tracing, enable_tracing
from tests.support.accounts import merchant_token, staff_token
from tests.support.bus import wait_until
from tests.support.smtp import smtp_server
from tests.support.workspaces import apply, decide


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    enable_tracing(service="tests", exporter=exporter)
    provider = trace.get_tracer_provider()
    assert isinstance(provider, TracerProvider)
    # At once, not in batches: the spans are read as soon as the mail is in.
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    yield exporter
    disable_tracing()
    exporter.clear()
    exporter.shutdown()  # spans made later in this process are no longer kept


async def test_a_decision_and_the_mail_it_causes_share_one_trace(
    spans: InMemorySpanExporter,
    accounts: TestClient[Any, Any],
    workspaces: TestClient[Any, Any],
    make_settings: Callable[..., Any],
    serve: Callable[..., Any],
) -> None:
    with smtp_server() as smtp:
        notifier_settings = make_settings(NotifierSettings, smtp_port=smtp.port, smtp_timeout_s=5)
        notifier: TestClient[Any, Any] = await serve(create_notifier_app(notifier_settings))
        await notifier.app[BUS_KEY].wait_ready(10)
        merchant = await merchant_token(accounts)
        application = await apply(workspaces, merchant)
        reviewer = await staff_token(accounts, "reviewer")

        response = await decide(workspaces, reviewer, application["id"], "reject", "No site")
        assert response.status == 200, await response.text()
        # The decision's mail (the signups' verification mails are in traces of their own).
        await wait_until(
            lambda: any("workspace application" in m.message["Subject"] for m in smtp.mails),
            timeout=15,
        )

    finished: list[ReadableSpan] = list(spans.get_finished_spans())
    decision = next(
        s for s in finished if s.kind == trace.SpanKind.SERVER and s.name.endswith("/decision")
    )
    in_trace = [s for s in finished if s.context.trace_id == decision.context.trace_id]
    kinds = [s.kind for s in in_trace]
    databases = {(s.attributes or {}).get("db.name") for s in in_trace}

    # The review event is published once (by the relay, in the decision's trace) and consumed
    # by accounts (next step), workspaces (provisioning) and the notifier (the mail).
    assert kinds.count(trace.SpanKind.PRODUCER) >= 1
    assert kinds.count(trace.SpanKind.CONSUMER) >= 3
    # The notifier's claim and settling of the mail, and the mail itself, are in the trace.
    assert notifier_settings.mongo_database in databases
    smtp_sends = [s for s in in_trace if s.name == "smtp send"]
    assert len(smtp_sends) == 1
    assert (smtp_sends[0].attributes or {}).get("server.port") == smtp.port
