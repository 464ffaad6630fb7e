"""Events the miniprograms service publishes."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from shared.events import EventPayload


class FieldChange(BaseModel):
    """One changed field of a modify: its value before and after (a logo by its id)."""

    field: str
    before: str | None
    after: str | None


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
    # The fields the modify changed, before and after (added later: older events lack it).
    changes: list[FieldChange] | None = None


class MiniProgramAccessGrantedV1(EventPayload):
    """A developer of the workspace may now list, read and modify this mini program."""

    TYPE = "miniprogram.access.granted.v1"

    mini_program_id: str
    workspace_id: str
    name: str
    account_id: str
    granted_by: str
    granted_at: datetime


class MiniProgramAccessRevokedV1(EventPayload):
    """The developer's access is taken away: by an owner or master (`revoked`), or because
    they left the workspace or stopped being a developer (then `revoked_by` is None)."""

    TYPE = "miniprogram.access.revoked.v1"

    mini_program_id: str
    workspace_id: str
    name: str
    account_id: str
    revoked_by: str | None
    revoked_at: datetime
    reason: Literal["revoked", "member_removed", "role_changed"] = "revoked"
