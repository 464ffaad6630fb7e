"""Events the miniprograms service publishes."""

from datetime import datetime

from shared.events import EventPayload


class MiniProgramCreatedV1(EventPayload):
    TYPE = "miniprogram.created.v1"

    mini_program_id: str
    workspace_id: str
    target: str
    name: str
    industry: str
    created_by: str
    created_at: datetime


class MiniProgramUpdatedV1(EventPayload):
    TYPE = "miniprogram.updated.v1"

    mini_program_id: str
    workspace_id: str
    target: str
    name: str
    industry: str
    updated_by: str
    updated_at: datetime
