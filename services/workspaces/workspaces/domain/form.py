"""The workspace application form: what each field accepts, and what a submission needs."""

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, HttpUrl, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from shared.field_errors import BLANK, Email, errors_from_pydantic
from shared.text import has_control_characters, plain_text
from workspaces.domain.calendar import add_business_days
from workspaces.domain.errors import IncompleteApplicationError
from workspaces.field_codes import APPLICANT_ROLE_ONLY, PHONE_FORMAT

APPLICANT_ROLE = "technical_merchant"
BUSINESS_DAYS_TO_DECIDE = 2

# The fields of the form a draft holds: a field saved as null is kept as None (cleared).
type FormValues = Mapping[str, str | None]


def _nonempty(value: str) -> str:
    if not value:
        raise BLANK.refusal()
    return value


_HTTP_URL = TypeAdapter(HttpUrl)


def _website(value: str) -> str:
    value = value.strip()
    _HTTP_URL.validate_python(value)  # http(s) with a host; the text is kept as typed
    return value


# Used with fullmatch: `$` with `match` would also accept a final newline.
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{4,29}")
# The same rule as the OpenAPI document states it (ECMA-262, anchored): the surrounding
# whitespace str.strip() trims (what of it is no control character), and a number that ends
# in no space (the trimmed value cannot).
_TRIMMED = r"[ \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*"
PHONE_PATTERN = f"^{_TRIMMED}\\+?[0-9][0-9 ()-]{{3,28}}[0-9()-]{_TRIMMED}$"


def _phone(value: str) -> str:
    # Surrounding spaces are trimmed, but a newline or other control character is no part of
    # a number (stripping it would store what was not a phone number as one).
    if has_control_characters(value):
        raise PHONE_FORMAT.refusal()
    value = value.strip()
    if not _PHONE.fullmatch(value):
        raise PHONE_FORMAT.refusal()
    return value


def _applicant_role(value: str) -> str:
    if value != APPLICANT_ROLE:
        raise APPLICANT_ROLE_ONLY.refusal(role=APPLICANT_ROLE)
    return value


# Each json_schema_extra states for the document what an AfterValidator enforces.
Role = Annotated[
    str, Field(json_schema_extra={"enum": [APPLICANT_ROLE]}), AfterValidator(_applicant_role)
]
CompanyName = Annotated[
    str,
    Field(max_length=100, json_schema_extra={"minLength": 1}),
    AfterValidator(plain_text),
    AfterValidator(_nonempty),
]
Website = Annotated[
    str,
    Field(max_length=2048, description="An http or https URL with a host"),
    AfterValidator(_website),
]
Phone = Annotated[
    str, Field(max_length=30, json_schema_extra={"pattern": PHONE_PATTERN}), AfterValidator(_phone)
]


class DraftForm(BaseModel):
    """What a draft may hold: every field optional, each valid when present."""

    role: Role | None = None
    company_name: CompanyName | None = None
    website: Website | None = None
    contact_number: Phone | None = None
    contact_email: Email | None = None


class CompleteForm(DraftForm):
    """What a submission must hold."""

    role: Role
    company_name: CompanyName


FORM_FIELDS = tuple(DraftForm.model_fields)


def form_changes(body: Mapping[str, Any]) -> dict[str, str | None]:
    """The form fields a draft save sets (absent fields stay, null clears)."""
    return {name: body[name] for name in FORM_FIELDS if name in body}


def complete_form(form: FormValues) -> dict[str, str | None]:
    """The form as submitted (every field, validated), or IncompleteApplicationError naming
    every field that is missing or invalid at once."""
    try:
        return CompleteForm.model_validate(form).model_dump()
    except PydanticValidationError as exc:
        raise IncompleteApplicationError(errors_from_pydantic(exc)) from exc


def expected_decision_by(submitted_at: datetime) -> datetime:
    """Two business days of mainland China after submission (its public holidays and the
    weekends made working days included; see workspaces.domain.calendar)."""
    return add_business_days(submitted_at, BUSINESS_DAYS_TO_DECIDE)
