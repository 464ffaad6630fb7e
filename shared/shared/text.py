"""Rules for text that users type, the same in every service."""

import unicodedata

from shared.field_errors import CONTROL_CHARACTERS

# Cc (C0/C1 controls) and Cf (format characters: bidirectional overrides such as U+202E,
# zero-width characters) can make stored text display as something other than what it is.
_CONTROL_CATEGORIES = frozenset({"Cc", "Cf"})


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) in _CONTROL_CATEGORIES for ch in text)


def plain_text(value: str) -> str:
    """Surrounding whitespace trimmed; control and format characters refused (a pydantic
    AfterValidator, refusing with the code `control_characters`)."""
    value = value.strip()
    if has_control_characters(value):
        raise CONTROL_CHARACTERS.refusal()
    return value


def normalize_email(email: str) -> str:
    """The key that makes an email address unique regardless of case and surrounding spaces."""
    return email.strip().lower()
