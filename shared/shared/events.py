"""The event envelope and the typed payloads every event carries."""

import builtins
import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.tracing import current_trace_context


class EventPayload(BaseModel):
    """Base of every event payload; subclasses set TYPE to their routing key."""

    model_config = ConfigDict(frozen=True)
    TYPE: ClassVar[str]


class Envelope(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str = Field(default_factory=lambda: str(uuid.uuid4()))
    type: str
    occurred_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    producer: str
    correlation_id: str
    causation_id: str | None = None
    data: dict[str, Any]
    # The W3C trace context (`traceparent`, `tracestate`) of the work that caused the event,
    # so its consumers continue that trace; empty when nothing was traced.
    trace_context: dict[str, str] = Field(default_factory=dict)

    def payload[P: EventPayload](self, model: builtins.type[P]) -> P:
        """The data parsed as the payload model of this event type."""
        if self.type != model.TYPE:
            raise ValueError(f"event {self.id} is {self.type}, not {model.TYPE}")
        return model.model_validate(self.data)


def new_event(
    payload: EventPayload,
    *,
    producer: str,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Envelope:
    """An event of this service's, carrying the trace of the work that causes it."""
    event_id = str(uuid.uuid4())
    return Envelope(
        id=event_id,
        type=payload.TYPE,
        producer=producer,
        correlation_id=correlation_id or event_id,
        causation_id=causation_id,
        data=payload.model_dump(mode="json"),
        trace_context=current_trace_context(),
    )
