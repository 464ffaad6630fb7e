"""Workspace application and workspace rules, without I/O."""

import re
import unicodedata
import uuid
from datetime import datetime, timedelta
from enum import StrEnum
from html import escape
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, EmailStr, Field, HttpUrl, TypeAdapter


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    APPROVED = "approved"
    REJECTED = "rejected"


class DraftStep(StrEnum):
    """Where the applicant is in the form, so a later visit resumes there (or goes back)."""

    ROLE = "role"
    BUSINESS_DETAILS = "business_details"
    REVIEW = "review"


class WorkspaceStatus(StrEnum):
    PROVISIONING = "provisioning"
    ACTIVE = "active"


class MemberRole(StrEnum):
    OWNER = "owner"
    MASTER = "master"
    DEVELOPER = "developer"


APPLICANT_ROLE = "technical_merchant"
BUSINESS_DAYS_TO_DECIDE = 2


# --- the form --------------------------------------------------------------------------


def _plain_text(value: str) -> str:
    value = value.strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise ValueError("must not contain control characters")
    return value


def _nonempty(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    return value


_HTTP_URL = TypeAdapter(HttpUrl)


def _website(value: str) -> str:
    value = value.strip()
    _HTTP_URL.validate_python(value)  # http(s) with a host; the text is kept as typed
    return value


_PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{4,29}$")


def _phone(value: str) -> str:
    value = value.strip()
    if not _PHONE.match(value):
        raise ValueError("must be a phone number (digits, spaces, +, -, parentheses)")
    return value


def _applicant_role(value: str) -> str:
    if value != APPLICANT_ROLE:
        raise ValueError(f"only {APPLICANT_ROLE} can apply for a workspace")
    return value


Role = Annotated[str, AfterValidator(_applicant_role)]
CompanyName = Annotated[
    str, Field(max_length=100), AfterValidator(_plain_text), AfterValidator(_nonempty)
]
Website = Annotated[str, Field(max_length=2048), AfterValidator(_website)]
Phone = Annotated[str, Field(max_length=30), AfterValidator(_phone)]


class DraftForm(BaseModel):
    """What a draft may hold: every field optional, each valid when present."""

    role: Role | None = None
    company_name: CompanyName | None = None
    website: Website | None = None
    contact_number: Phone | None = None
    contact_email: EmailStr | None = None


class CompleteForm(DraftForm):
    """What a submission must hold."""

    role: Role
    company_name: CompanyName


FORM_FIELDS = tuple(DraftForm.model_fields)


def expected_decision_by(submitted_at: datetime) -> datetime:
    """Two business days after submission, weekends skipped (public holidays are not known)."""
    moment = submitted_at
    remaining = BUSINESS_DAYS_TO_DECIDE
    while remaining:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            remaining -= 1
    return moment


# --- workspaces ------------------------------------------------------------------------

_WORKSPACE_NAMESPACE = uuid.UUID("0d4bbd7e-5a8e-4c0d-9a39-6b1f3c3f5a11")


def workspace_id_for(application_id: str) -> str:
    """The workspace of an approved application has a fixed id: provisioning is idempotent."""
    return str(uuid.uuid5(_WORKSPACE_NAMESPACE, application_id))


# Solid backgrounds that keep white text readable (WCAG AA for large text).
LOGO_COLORS = (
    "#1677FF",
    "#0E7C86",
    "#2F54EB",
    "#722ED1",
    "#C41D7F",
    "#D4380D",
    "#AD6800",
    "#389E0D",
    "#08979C",
    "#531DAB",
    "#CF1322",
    "#1D39C4",
)


def logo_initial(name: str) -> str:
    """The first letter of the name as the default logo shows it: uppercase for Latin."""
    first = name.strip()[:1] or "?"
    return first.upper() if "LATIN" in unicodedata.name(first, "") else first


def default_logo_svg(name: str, color: str) -> str:
    initial = escape(logo_initial(name))
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">'
        f'<rect width="256" height="256" fill="{escape(color)}"/>'
        '<text x="128" y="128" dy=".35em" text-anchor="middle" fill="#FFFFFF" '
        'font-family="PingFang SC, Microsoft YaHei, Noto Sans CJK SC, Arial, sans-serif" '
        f'font-size="128" font-weight="600">{initial}</text></svg>'
    )


def can_manage_members(role: str) -> bool:
    return role == MemberRole.OWNER


# --- errors ----------------------------------------------------------------------------


class ApplicationNotFoundError(Exception):
    pass


class ApplicationUnderReviewError(Exception):
    pass


class AlreadyApprovedError(Exception):
    pass


class NoDraftError(Exception):
    pass


class ApplicationAlreadyDecidedError(Exception):
    pass


class WorkspaceNotFoundError(Exception):
    pass


class NotOwnerError(Exception):
    pass


class UnknownAccountError(Exception):
    pass


class AlreadyMemberError(Exception):
    pass


class MemberNotFoundError(Exception):
    pass


class OwnerIsFixedError(Exception):
    pass


type Decision = Literal["approve", "reject"]
