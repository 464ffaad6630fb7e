"""Mini program rules from the platform's documentation, without I/O: the fields and their
limits, who may do what in a workspace, and the mini program's transitions."""

import re
import unicodedata
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel

from miniprograms.field_codes import SERVICE_PHONE_FORMAT, WEIGHTED_LENGTH
from shared.contracts.miniprograms import FieldChange, MiniProgramCreatedV1, MiniProgramUpdatedV1
from shared.contracts.workspaces import (
    WorkspaceCreatedV1,
    WorkspaceMemberAddedV1,
    WorkspaceMemberRemovedV1,
    WorkspaceMemberRoleChangedV1,
)
from shared.events import Envelope
from shared.field_errors import Email
from shared.text import plain_text

# "A merchant may have at most 10 mini programs for Alipay China."
MINI_PROGRAM_LIMIT = 10
TARGET = "alipay_cn"
LANGUAGE = "zh-CN"


# --- errors: what happened (the API maps each family to its problem) --------------------


class NotFoundError(Exception):
    """No such mini program or workspace, as far as the caller may know."""


class NotAMemberError(NotFoundError):
    """The caller is not in the workspace: to them it does not exist."""


class MiniProgramNotFoundError(NotFoundError):
    """No such mini program, or not one the caller may see."""


class WorkspaceChangeError(NotFoundError):
    """A modify named another workspace: a mini program does not move, so that workspace
    has no such mini program."""


class ForbiddenError(Exception):
    pass


class NotAllowedToCreateError(ForbiddenError):
    """Only the workspace's owner and masters create mini programs."""


class LimitReachedError(Exception):
    """The workspace has all MINI_PROGRAM_LIMIT mini programs it may have."""


class NameTakenError(Exception):
    """The workspace has a mini program with this name (regardless of case and width)."""


# --- roles -------------------------------------------------------------------------------


class WorkspaceRole(StrEnum):
    OWNER = "owner"
    MASTER = "master"
    DEVELOPER = "developer"


def can_create(role: str | None) -> bool:
    """Owners and masters create mini programs; developers work on assigned ones only."""
    return role in (WorkspaceRole.OWNER, WorkspaceRole.MASTER)


def can_see(role: str | None, *, account_id: str, developer_ids: Collection[str]) -> bool:
    if role == WorkspaceRole.DEVELOPER:
        return account_id in developer_ids
    return can_create(role)


# --- weighted length ---------------------------------------------------------------------


def _weighs_two(char: str) -> bool:
    """CJK ideographs and full-width CJK punctuation count as two characters."""
    code = ord(char)
    if 0x3000 <= code <= 0x303F:  # CJK Symbols and Punctuation: 、。「」【】…
        return True
    if unicodedata.east_asian_width(char) == "F":  # full-width forms: ，！？（）：；
        return True
    return unicodedata.name(char, "").startswith(
        ("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH")
    )


def weighted_length(text: str) -> int:
    return sum(2 if _weighs_two(ch) else 1 for ch in text)


def _weighs_between(minimum: int, maximum: int) -> AfterValidator:
    def check(value: str) -> str:
        length = weighted_length(value)
        if not minimum <= length <= maximum:
            raise WEIGHTED_LENGTH.refusal(min=minimum, max=maximum, length=length)
        return value

    return AfterValidator(check)


# Matched in full (re.fullmatch): with `match`, `^...$` also takes a trailing "\n". [0-9], not
# \d: no other scripts' digits. The API document states it anchored, as JSON Schema reads it.
SERVICE_PHONE_PATTERN = "[0-9]{4}-[0-9]{7}"
_SERVICE_PHONE = re.compile(SERVICE_PHONE_PATTERN)


def _service_phone(value: str) -> str:
    if not _SERVICE_PHONE.fullmatch(value):
        raise SERVICE_PHONE_FORMAT.refusal()
    return value


# Trimmed, no control or format characters (as every text field of the platform), then weighed.
Name = Annotated[str, AfterValidator(plain_text), _weighs_between(3, 30)]
Tagline = Annotated[str, AfterValidator(plain_text), _weighs_between(10, 30)]
Description = Annotated[str, AfterValidator(plain_text), _weighs_between(20, 200)]
ServicePhone = Annotated[str, AfterValidator(_service_phone)]


class MiniProgramForm(BaseModel):
    """Every field a mini program needs, checked on create and again on every modify."""

    workspace_id: str
    target: Literal["alipay_cn"]
    name: Name
    tagline: Tagline
    description: Description
    industry: str
    service_phone: ServicePhone
    service_email: Email


def name_key(name: str) -> str:
    """Names are unique per workspace regardless of case and Unicode form."""
    return unicodedata.normalize("NFKC", name).casefold()


def first_free_slot(used: Collection[int]) -> int:
    """The slot a new mini program takes: a workspace has MINI_PROGRAM_LIMIT of them (the
    store keeps them unique per workspace, so concurrent creates cannot exceed the limit)."""
    free = [slot for slot in range(MINI_PROGRAM_LIMIT) if slot not in used]
    if not free:
        raise LimitReachedError
    return free[0]


# --- the mini program --------------------------------------------------------------------


@dataclass(frozen=True)
class MiniProgramFields:
    """What the form sets, on create and on every modify."""

    target: str
    name: str
    name_key: str
    tagline: str
    description: str
    industry: str
    service_phone: str
    service_email: str
    logo_id: str

    @classmethod
    def of(cls, form: MiniProgramForm, *, logo_id: str) -> "MiniProgramFields":
        return cls(
            target=form.target,
            name=form.name,
            name_key=name_key(form.name),
            tagline=form.tagline,
            description=form.description,
            industry=form.industry,
            service_phone=form.service_phone,
            service_email=form.service_email,
            logo_id=logo_id,
        )

    def changes_to(self, after: "MiniProgramFields") -> list[FieldChange]:
        """The form's fields that differ, before and after. The logo is left out: every
        modify uploads it again (a new id whether or not the image changed)."""
        return [
            FieldChange(field=name, before=getattr(self, name), after=getattr(after, name))
            for name in _COMPARED_FIELDS
            if getattr(self, name) != getattr(after, name)
        ]


_COMPARED_FIELDS = (
    "target",
    "name",
    "tagline",
    "description",
    "industry",
    "service_phone",
    "service_email",
)


@dataclass(frozen=True)
class MiniProgramModified:
    """A modify: every field of the form again. The workspace is the write's guard."""

    mini_program_id: str
    workspace_id: str
    fields: MiniProgramFields
    updated_at: datetime


@dataclass(frozen=True)
class MiniProgram:
    id: str
    workspace_id: str
    fields: MiniProgramFields
    created_by: str
    created_at: datetime
    updated_at: datetime
    language: str = LANGUAGE
    developer_ids: tuple[str, ...] = ()

    @classmethod
    def create(
        cls, *, form: MiniProgramForm, created_by: str, logo_id: str, now: datetime
    ) -> tuple["MiniProgram", MiniProgramCreatedV1]:
        """A new mini program in the form's workspace (whether the creator may, and whether
        the workspace has room, are the Membership's and the store's to say)."""
        mini_program = cls(
            id=str(uuid.uuid4()),
            workspace_id=form.workspace_id,
            fields=MiniProgramFields.of(form, logo_id=logo_id),
            created_by=created_by,
            created_at=now,
            updated_at=now,
        )
        created = MiniProgramCreatedV1(
            mini_program_id=mini_program.id,
            workspace_id=mini_program.workspace_id,
            target=form.target,
            name=form.name,
            industry=form.industry,
            created_by=created_by,
            created_at=now,
        )
        return mini_program, created

    def modify(
        self, *, form: MiniProgramForm, logo_id: str, updated_by: str, now: datetime
    ) -> tuple[MiniProgramModified, MiniProgramUpdatedV1]:
        """Every field again; the workspace stays (a form naming another is refused)."""
        self.check_stays_in(form.workspace_id)
        fields = MiniProgramFields.of(form, logo_id=logo_id)
        modified = MiniProgramModified(
            mini_program_id=self.id,
            workspace_id=self.workspace_id,
            fields=fields,
            updated_at=now,
        )
        updated = MiniProgramUpdatedV1(
            mini_program_id=self.id,
            workspace_id=self.workspace_id,
            target=form.target,
            name=form.name,
            industry=form.industry,
            updated_by=updated_by,
            updated_at=now,
            changes=self.fields.changes_to(fields),
        )
        return modified, updated

    def check_stays_in(self, workspace_id: str) -> None:
        """A mini program does not move between workspaces."""
        if workspace_id != self.workspace_id:
            raise WorkspaceChangeError


# --- the membership projection -----------------------------------------------------------


@dataclass(frozen=True)
class Membership:
    """Who is in a workspace with which role, as the workspace events told this service
    (the members loaded: a store may load only the one asked about)."""

    workspace_id: str
    roles: Mapping[str, WorkspaceRole] = field(default_factory=dict)

    def role_of(self, account_id: str) -> WorkspaceRole | None:
        return self.roles.get(account_id)

    def member_role(self, account_id: str) -> WorkspaceRole:
        """The caller's role; a workspace they are not in does not exist for them."""
        role = self.role_of(account_id)
        if role is None:
            raise NotAMemberError
        return role

    def check_may_create(self, account_id: str) -> None:
        if not can_create(self.member_role(account_id)):
            raise NotAllowedToCreateError

    def check_may_see(self, account_id: str, mini_program: MiniProgram) -> None:
        role = self.role_of(account_id)
        if mini_program.workspace_id != self.workspace_id or not can_see(
            role, account_id=account_id, developer_ids=mini_program.developer_ids
        ):
            raise MiniProgramNotFoundError

    def sees_only_assigned(self, account_id: str) -> bool:
        """Whether the caller's list holds only the mini programs they are assigned to (a
        developer's), rather than all of the workspace's. A non-member has no list."""
        return self.member_role(account_id) == WorkspaceRole.DEVELOPER


@dataclass(frozen=True)
class MemberRoleSet:
    """A member's role as one workspace event tells it (None: no longer a member)."""

    workspace_id: str
    account_id: str
    role: WorkspaceRole | None


def member_role_set(event: Envelope) -> MemberRoleSet | None:
    """What a workspace event changes in the membership (None: nothing)."""
    match event.type:
        case WorkspaceCreatedV1.TYPE:
            created = event.payload(WorkspaceCreatedV1)
            return MemberRoleSet(
                created.workspace_id, created.owner_account_id, WorkspaceRole.OWNER
            )
        case WorkspaceMemberAddedV1.TYPE:
            added = event.payload(WorkspaceMemberAddedV1)
            return MemberRoleSet(added.workspace_id, added.account_id, WorkspaceRole(added.role))
        case WorkspaceMemberRoleChangedV1.TYPE:
            changed = event.payload(WorkspaceMemberRoleChangedV1)
            return MemberRoleSet(
                changed.workspace_id, changed.account_id, WorkspaceRole(changed.role)
            )
        case WorkspaceMemberRemovedV1.TYPE:
            removed = event.payload(WorkspaceMemberRemovedV1)
            return MemberRoleSet(removed.workspace_id, removed.account_id, None)
    return None
