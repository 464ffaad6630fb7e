"""Account rules without I/O: email normalisation and control characters."""

import pytest

from shared.text import has_control_characters, normalize_email


def test_normalize_email_lowercases_and_strips_whitespace() -> None:
    assert normalize_email("  Ana.Diaz@Example.COM \n") == "ana.diaz@example.com"


def test_normalize_email_gives_one_key_for_differently_cased_spellings() -> None:
    assert normalize_email("ANA@example.com") == normalize_email("ana@EXAMPLE.com")


@pytest.mark.parametrize(
    "text",
    [
        "null\x00byte",
        "line\nbreak",
        "tab\there",
        "zero\u200bwidth",  # zero-width space (Cf) hides in names
        "right\u202eto-left",  # right-to-left override (Cf) reverses what is shown
    ],
)
def test_control_and_format_characters_are_detected(text: str) -> None:
    assert has_control_characters(text) is True


@pytest.mark.parametrize("text", ["Ana Díaz", "李小龙", "O'Brien-Smith", ""])
def test_ordinary_text_has_no_control_characters(text: str) -> None:
    assert has_control_characters(text) is False
