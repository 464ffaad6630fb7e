"""The event envelope: wire round trip, defaults of new_event and typed payloads."""

from datetime import UTC, datetime

import pytest

from shared.contracts.accounts import AccountRegisteredV1
from shared.events import Envelope, EventPayload, new_event


class _OtherEventV1(EventPayload):
    TYPE = "other.happened.v1"

    note: str


def _registered() -> AccountRegisteredV1:
    return AccountRegisteredV1(
        account_id="acc-1",
        email="ana@example.com",
        full_name="Ana Díaz",
        roles=["merchant"],
        registered_at=datetime(2024, 5, 1, 12, 30, tzinfo=UTC),
    )


def test_envelope_survives_a_json_round_trip() -> None:
    event = new_event(_registered(), producer="accounts", causation_id="cmd-7")

    restored = Envelope.model_validate_json(event.model_dump_json())

    assert restored.id == event.id
    assert restored.type == event.type
    assert restored.data == event.data
    assert restored.correlation_id == event.correlation_id
    assert restored.causation_id == "cmd-7"
    assert restored.occurred_at == event.occurred_at
    assert restored == event


def test_new_event_takes_its_type_from_the_payload() -> None:
    event = new_event(_registered(), producer="accounts")

    assert event.type == "account.registered.v1"
    assert event.producer == "accounts"


def test_new_event_correlation_id_defaults_to_the_event_id() -> None:
    event = new_event(_registered(), producer="accounts")

    assert event.correlation_id == event.id


def test_new_event_keeps_an_explicit_correlation_id() -> None:
    event = new_event(_registered(), producer="accounts", correlation_id="req-42")

    assert event.correlation_id == "req-42"
    assert event.id != "req-42"


def test_new_events_get_distinct_ids() -> None:
    assert new_event(_registered(), producer="a").id != new_event(_registered(), producer="a").id


def test_payload_parses_data_into_the_typed_model() -> None:
    original = _registered()
    wire = new_event(original, producer="accounts").model_dump_json()

    payload = Envelope.model_validate_json(wire).payload(AccountRegisteredV1)

    assert isinstance(payload, AccountRegisteredV1)
    assert payload == original


def test_payload_refuses_a_model_of_another_event_type() -> None:
    event = new_event(_registered(), producer="accounts")

    with pytest.raises(ValueError, match=r"account\.registered\.v1, not other\.happened\.v1"):
        event.payload(_OtherEventV1)
