"""The activity log: what each event of the platform records about a workspace, its members,
its mini programs and its application, with who did it, when, and what changed.

An entry is made from one event and keyed by the event's id, so a redelivered event records
nothing twice. Entries are never changed or deleted (there is no API for it).

People are named in the entry as they were when it was recorded (`named`): the actor's name
and email, and the name and email of the member it is about, from the event or from the
accounts directory. So the log, and its exports, still name someone after they leave. A
reviewer is recorded as the reviewer, without their name: a decision is the platform's, and
merchants do not get to know which member of staff made it (nor pursue them).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from shared.contracts.miniprograms import (
    MiniProgramAccessGrantedV1,
    MiniProgramAccessRevokedV1,
    MiniProgramCreatedV1,
    MiniProgramUpdatedV1,
)
from shared.contracts.workspaces import (
    ApplicationReviewedV1,
    ApplicationSubmittedV1,
    ApplicationWithdrawnV1,
    InvitationCreatedV1,
    InvitationRevokedV1,
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from shared.events import Envelope, EventPayload
from workspaces.domain.workspace import DirectoryAccount, workspace_id_for


class ActivityKind(StrEnum):
    APPLICATION_SUBMITTED = "application.submitted"
    APPLICATION_DECIDED = "application.decided"
    APPLICATION_WITHDRAWN = "application.withdrawn"  # by the applicant, before a decision
    WORKSPACE_CREATED = "workspace.created"
    MEMBER_INVITED = "member.invited"
    INVITATION_REVOKED = "member.invitation_revoked"
    MEMBER_JOINED = "member.joined"  # accepted an invitation
    MEMBER_ADDED = "member.added"  # added by the owner
    MEMBER_ROLE_CHANGED = "member.role_changed"
    MEMBER_REMOVED = "member.removed"
    ACCESS_GRANTED = "access.granted"
    ACCESS_REVOKED = "access.revoked"
    MINI_PROGRAM_CREATED = "mini_program.created"
    MINI_PROGRAM_MODIFIED = "mini_program.modified"


@dataclass(frozen=True)
class Change:
    field: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class ActivityEntry:
    id: str  # the event's
    kind: ActivityKind
    occurred_at: datetime
    actor_id: str | None  # None: the platform itself (provisioning, a member's departure)
    workspace_id: str | None
    application_id: str | None = None
    mini_program_id: str | None = None
    # What it is about: the member, the mini program, the decision (ids, names, roles).
    subject: Mapping[str, str] = field(default_factory=dict)
    changes: tuple[Change, ...] = ()
    event_type: str = ""
    # Who the actor was when it was recorded (None: not known then, or a reviewer, unnamed).
    actor_name: str | None = None
    actor_email: str | None = None

    @property
    def actor_kind(self) -> str:
        """platform (no actor), reviewer (staff: a decision), or person (a merchant)."""
        if self.actor_id is None:
            return "platform"
        return "reviewer" if self.kind == ActivityKind.APPLICATION_DECIDED else "person"

    def people(self) -> set[str]:
        """The accounts the entry may name: its actor (unless a reviewer) and its member."""
        found = {self.subject.get("account_id")}
        if self.actor_kind == "person":
            found.add(self.actor_id)
        return {account_id for account_id in found if account_id}

    def named(self, people: Mapping[str, DirectoryAccount]) -> "ActivityEntry":
        """The entry naming the people in it as the directory knows them (`people`); the
        event's own names where it does not (yet): a fresh signup's, a guess from the email."""
        subject = dict(self.subject)
        if (member := people.get(subject.get("account_id", ""))) is not None:
            subject["full_name"] = member.full_name
            subject.setdefault("email", member.email)
        name, email = self.actor_name, self.actor_email
        if self.actor_kind == "person":
            if (actor := people.get(self.actor_id or "")) is not None:
                name, email = actor.full_name, actor.email
            elif self.actor_id == subject.get("account_id"):
                name, email = name or subject.get("full_name"), email or subject.get("email")
        return replace(self, subject=subject, actor_name=name, actor_email=email)


type _Build = Callable[[Any, Envelope], ActivityEntry]


def _entry(event: Envelope, kind: ActivityKind, **values: Any) -> ActivityEntry:
    subject = {k: str(v) for k, v in values.pop("subject", {}).items() if v is not None}
    return ActivityEntry(
        id=event.id,
        kind=kind,
        occurred_at=event.occurred_at,
        event_type=event.type,
        subject=subject,
        **values,
    )


def _submitted(e: ApplicationSubmittedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.APPLICATION_SUBMITTED,
        actor_id=e.account_id,
        actor_name=e.full_name,
        actor_email=e.email,
        workspace_id=None,
        application_id=e.application_id,
        subject={
            "company_name": e.company_name,
            "previous_application_id": e.previous_application_id,
        },
        changes=(Change("status", "draft", "under_review"),),
    )


def _decided(e: ApplicationReviewedV1, event: Envelope) -> ActivityEntry:
    approved = e.decision == "approve"
    return _entry(
        event,
        ActivityKind.APPLICATION_DECIDED,
        actor_id=e.reviewer_id,
        workspace_id=workspace_id_for(e.application_id) if approved else None,
        application_id=e.application_id,
        subject={"decision": e.decision, "reason": e.reason, "company_name": e.company_name},
        changes=(Change("status", "under_review", "approved" if approved else "rejected"),),
    )


def _withdrawn(e: ApplicationWithdrawnV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.APPLICATION_WITHDRAWN,
        actor_id=e.account_id,
        workspace_id=None,
        application_id=e.application_id,
        subject={"company_name": e.company_name},
        changes=(Change("status", "under_review", "withdrawn"),),
    )


def _workspace_created(e: WorkspaceCreatedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.WORKSPACE_CREATED,
        actor_id=None,
        workspace_id=e.workspace_id,
        application_id=e.application_id,
        subject={"name": e.name, "account_id": e.owner_account_id, "email": e.owner_email},
    )


def _invited(e: InvitationCreatedV1, event: Envelope) -> ActivityEntry:
    # Never the sealed token: the log is read by every member and exported.
    return _entry(
        event,
        ActivityKind.MEMBER_INVITED,
        actor_id=e.invited_by,
        workspace_id=e.workspace_id,
        subject={
            "invitation_id": e.invitation_id,
            "email": e.email,
            "role": e.role,
            "resent": "true" if e.resent else "false",
            "expires_at": e.expires_at.isoformat(),
        },
    )


def _invitation_revoked(e: InvitationRevokedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.INVITATION_REVOKED,
        actor_id=e.revoked_by,
        workspace_id=e.workspace_id,
        subject={"invitation_id": e.invitation_id, "email": e.email, "role": e.role},
    )


def _member_added(e: WorkspaceMemberAddedV1, event: Envelope) -> ActivityEntry:
    joined = e.invitation_id is not None
    return _entry(
        event,
        ActivityKind.MEMBER_JOINED if joined else ActivityKind.MEMBER_ADDED,
        actor_id=e.added_by,
        workspace_id=e.workspace_id,
        subject={
            "account_id": e.account_id,
            "email": e.email,
            "full_name": e.full_name,
            "invitation_id": e.invitation_id,
        },
        changes=(Change("role", None, e.role),),
    )


def _role_changed(e: WorkspaceMemberRoleChangedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.MEMBER_ROLE_CHANGED,
        actor_id=e.changed_by,
        workspace_id=e.workspace_id,
        subject={"account_id": e.account_id, "email": e.email},
        changes=(Change("role", e.previous_role, e.role),),
    )


def _removed(e: WorkspaceMemberRemovedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.MEMBER_REMOVED,
        actor_id=e.removed_by,
        workspace_id=e.workspace_id,
        subject={"account_id": e.account_id, "email": e.email},
        changes=(Change("role", e.role, None),),
    )


def _granted(e: MiniProgramAccessGrantedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.ACCESS_GRANTED,
        actor_id=e.granted_by,
        workspace_id=e.workspace_id,
        mini_program_id=e.mini_program_id,
        subject={"account_id": e.account_id, "name": e.name},
        changes=(Change("access", "none", "granted"),),
    )


def _access_revoked(e: MiniProgramAccessRevokedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.ACCESS_REVOKED,
        actor_id=e.revoked_by,
        workspace_id=e.workspace_id,
        mini_program_id=e.mini_program_id,
        subject={"account_id": e.account_id, "name": e.name, "reason": e.reason},
        changes=(Change("access", "granted", "none"),),
    )


def _mp_created(e: MiniProgramCreatedV1, event: Envelope) -> ActivityEntry:
    return _entry(
        event,
        ActivityKind.MINI_PROGRAM_CREATED,
        actor_id=e.created_by,
        workspace_id=e.workspace_id,
        mini_program_id=e.mini_program_id,
        subject={"name": e.name, "industry": e.industry, "target": e.target},
    )


def _mp_modified(e: MiniProgramUpdatedV1, event: Envelope) -> ActivityEntry:
    changes = tuple(Change(c.field, c.before, c.after) for c in e.changes or ())
    return _entry(
        event,
        ActivityKind.MINI_PROGRAM_MODIFIED,
        actor_id=e.updated_by,
        workspace_id=e.workspace_id,
        mini_program_id=e.mini_program_id,
        subject={"name": e.name},
        changes=changes,
    )


# Every event type the log records, with its payload model and how it becomes an entry.
RECORDED: dict[str, tuple[type[EventPayload], _Build]] = {
    model.TYPE: (model, build)
    for model, build in (
        (ApplicationSubmittedV1, _submitted),
        (ApplicationReviewedV1, _decided),
        (ApplicationWithdrawnV1, _withdrawn),
        (WorkspaceCreatedV1, _workspace_created),
        (InvitationCreatedV1, _invited),
        (InvitationRevokedV1, _invitation_revoked),
        (WorkspaceMemberAddedV1, _member_added),
        (WorkspaceMemberRoleChangedV1, _role_changed),
        (WorkspaceMemberRemovedV1, _removed),
        (MiniProgramAccessGrantedV1, _granted),
        (MiniProgramAccessRevokedV1, _access_revoked),
        (MiniProgramCreatedV1, _mp_created),
        (MiniProgramUpdatedV1, _mp_modified),
    )
}


def activity_entry(event: Envelope) -> ActivityEntry | None:
    """The entry an event makes (None: the log does not record this type)."""
    recorded = RECORDED.get(event.type)
    if recorded is None:
        return None
    model, build = recorded
    return build(event.payload(model), event)
