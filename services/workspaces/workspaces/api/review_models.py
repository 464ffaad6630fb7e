"""Request and response models of the review workflow: findings and their reason codes,
claims, internal notes, and the queue's filters."""

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
)

from shared.field_errors import BLANK, CONTROL_CHARACTERS
from shared.openapi import with_examples
from shared.text import has_control_characters, plain_text
from workspaces.api import review_examples as examples
from workspaces.domain import FINDING_FIELDS, REASON_CODES, Claim, Finding, ReviewNote
from workspaces.field_codes import (
    MESSAGE_REQUIRED_FOR_OTHER,
    NOT_A_FORM_FIELD,
    REASON_NOT_FOR_FIELD,
    UNKNOWN_REASON_CODE,
)


def _texts() -> Any:
    """Texts by language, as the console and the mail show them."""
    return Field(
        description="The catalogue's text in each language (`zh-CN`, `en`)",
        json_schema_extra={"required": ["zh-CN", "en"]},
    )


def _known_code(code: str) -> str:
    if code not in REASON_CODES:
        raise UNKNOWN_REASON_CODE.refusal()
    return code


def _form_field(name: str) -> str:
    if name not in FINDING_FIELDS:
        raise NOT_A_FORM_FIELD.refusal(fields=", ".join(FINDING_FIELDS))
    return name


ReasonCodeName = Annotated[
    str, Field(json_schema_extra={"enum": list(REASON_CODES)}), AfterValidator(_known_code)
]
FindingField = Annotated[
    str, Field(json_schema_extra={"enum": list(FINDING_FIELDS)}), AfterValidator(_form_field)
]


class FindingCreate(BaseModel):
    """One thing found wrong: a code of the catalogue on one of the fields it applies to."""

    model_config = with_examples(examples.FINDING_CREATE)

    code: ReasonCodeName
    field: FindingField
    message: Annotated[str, AfterValidator(plain_text)] | None = Field(
        default=None,
        max_length=500,
        validate_default=True,  # required with the code other
        description="The reviewer's own words, for the applicant",
    )

    @field_validator("field")
    @classmethod
    def _field_of_the_code(cls, name: str, info: ValidationInfo) -> str:
        reason = REASON_CODES.get(info.data.get("code", ""))
        if reason is not None and name not in reason.fields:
            raise REASON_NOT_FOR_FIELD.refusal(code=reason.code, fields=", ".join(reason.fields))
        return name

    @field_validator("message")
    @classmethod
    def _message_for_other(cls, message: str | None, info: ValidationInfo) -> str | None:
        message = message.strip() if message else None
        if info.data.get("code") == "other" and not message:
            raise MESSAGE_REQUIRED_FOR_OTHER.refusal()
        return message

    def finding(self) -> Finding:
        return Finding(field=self.field, code=self.code, message=self.message)


class FindingRead(BaseModel):
    model_config = with_examples(examples.FINDING)

    field: str
    code: str
    message: str | None
    texts: dict[str, str] = _texts()

    @classmethod
    def of(cls, finding: Finding) -> "FindingRead":
        return cls(
            field=finding.field, code=finding.code, message=finding.message, texts=finding.texts
        )


class PreviousFindingRead(FindingRead):
    model_config = with_examples(examples.PREVIOUS_FINDING)

    changed: bool = Field(
        description="Whether the field's value differs from what the rejected application held"
    )


class ReasonCodeRead(BaseModel):
    code: str
    fields: list[str] = Field(description="The fields a finding with this code may point at")
    texts: dict[str, str] = _texts()


class ReasonCodeList(BaseModel):
    model_config = with_examples(examples.REASON_CODE_LIST)

    items: list[ReasonCodeRead]


class ClaimRead(BaseModel):
    model_config = with_examples(examples.CLAIM)

    reviewer_id: str
    claimed_at: datetime
    expires_at: datetime
    mine: bool = Field(description="Whether the claim is the caller's")

    @classmethod
    def of(cls, claim: Claim, *, reader_id: str) -> "ClaimRead":
        return cls(
            reviewer_id=claim.reviewer_id,
            claimed_at=claim.claimed_at,
            expires_at=claim.expires_at,
            mine=claim.reviewer_id == reader_id,
        )


class ClaimCreate(BaseModel):
    model_config = with_examples(*examples.CLAIM_CREATES)

    take_over: bool = Field(
        default=False,
        description="Take over another reviewer's active claim (admins who review only)",
    )


def _note_text(text: str) -> str:
    """Trimmed, several lines allowed; no other control or format character."""
    text = text.strip()
    if not text:
        raise BLANK.refusal()
    if has_control_characters(text.replace("\n", "")):
        raise CONTROL_CHARACTERS.refusal()  # new lines aside
    return text


class NoteCreate(BaseModel):
    model_config = with_examples(examples.NOTE_CREATE)

    text: Annotated[str, AfterValidator(_note_text)] = Field(
        max_length=2000, json_schema_extra={"minLength": 1}
    )


class NoteRead(BaseModel):
    model_config = with_examples(examples.NOTE)

    id: str
    application_id: str
    author_id: str
    text: str
    created_at: datetime

    @classmethod
    def of(cls, note: ReviewNote) -> "NoteRead":
        return cls(
            id=note.id,
            application_id=note.application_id,
            author_id=note.author_id,
            text=note.text,
            created_at=note.created_at,
        )


class NoteList(BaseModel):
    model_config = with_examples(examples.NOTES)

    items: list[NoteRead]


def _iso_8601(value: object) -> object:
    """Only an ISO-8601 date and time with its offset, as the document says (pydantic alone
    would also take a number of seconds)."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            raise ValueError("must be an ISO-8601 date and time with its offset")
        return parsed
    return value


SubmittedAt = Annotated[AwareDatetime, BeforeValidator(_iso_8601)]


class ReviewQuery(BaseModel):
    status: Literal["under_review", "approved", "rejected", "withdrawn"] = "under_review"
    claimed: Literal["mine", "unclaimed"] | None = Field(
        default=None, description="mine: my active claims; unclaimed: no active claim"
    )
    submitted_after: SubmittedAt | None = Field(default=None, description="At or after")
    submitted_before: SubmittedAt | None = Field(default=None, description="Before")
    email_verified: bool | None = Field(
        default=None, description="Whether the applicant's email is verified"
    )
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = None
