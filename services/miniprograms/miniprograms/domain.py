"""Mini program rules from the platform's documentation, without I/O."""

import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, EmailStr

from shared.text import plain_text

# "A merchant may have at most 10 mini programs for Alipay China."
MINI_PROGRAM_LIMIT = 10
TARGET = "alipay_cn"
LANGUAGE = "zh-CN"


class WorkspaceRole(StrEnum):
    OWNER = "owner"
    MASTER = "master"
    DEVELOPER = "developer"


def can_create(role: str | None) -> bool:
    """Owners and masters create mini programs; developers work on assigned ones only."""
    return role in (WorkspaceRole.OWNER, WorkspaceRole.MASTER)


def can_see(role: str | None, *, account_id: str, developer_ids: list[str]) -> bool:
    if role == WorkspaceRole.DEVELOPER:
        return account_id in developer_ids
    return can_create(role)


# --- weighted length -------------------------------------------------------------------


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
            raise ValueError(
                f"must be {minimum} to {maximum} characters long, a Chinese character "
                f"counting as two (this is {length})"
            )
        return value

    return AfterValidator(check)


# Matched in full (re.fullmatch): with `match`, `^...$` also takes a trailing "\n". [0-9], not
# \d: no other scripts' digits. The API document states it anchored, as JSON Schema reads it.
SERVICE_PHONE_PATTERN = "[0-9]{4}-[0-9]{7}"
_SERVICE_PHONE = re.compile(SERVICE_PHONE_PATTERN)


def _service_phone(value: str) -> str:
    if not _SERVICE_PHONE.fullmatch(value):
        raise ValueError("must look like XXXX-XXXXXXX (4 digits, a hyphen, 7 digits)")
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
    service_email: EmailStr


def name_key(name: str) -> str:
    """Names are unique per workspace regardless of case and Unicode form."""
    return unicodedata.normalize("NFKC", name).casefold()


class NotFoundError(Exception):
    pass


class ForbiddenError(Exception):
    pass


class LimitReachedError(Exception):
    pass


class NameTakenError(Exception):
    pass
