from datetime import UTC, datetime

import pytest

from workspaces.domain import (
    LOGO_COLORS,
    default_logo_svg,
    expected_decision_by,
    logo_initial,
    workspace_id_for,
)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (datetime(2026, 11, 16, 9, 30, tzinfo=UTC), datetime(2026, 11, 18, 9, 30, tzinfo=UTC)),
        (datetime(2026, 11, 19, 18, 0, tzinfo=UTC), datetime(2026, 11, 23, 18, 0, tzinfo=UTC)),
        (datetime(2026, 11, 20, 10, 0, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 21, 10, 0, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
        (datetime(2026, 11, 22, 10, 0, tzinfo=UTC), datetime(2026, 11, 24, 10, 0, tzinfo=UTC)),
    ],
    ids=["monday", "thursday", "friday", "saturday", "sunday"],
)
def test_the_decision_is_expected_two_business_days_later_skipping_weekends(
    submitted: datetime, expected: datetime
) -> None:
    assert expected_decision_by(submitted) == expected


@pytest.mark.parametrize(
    ("name", "initial"),
    [("acme", "A"), ("  éclair", "É"), ("阿里巴巴", "阿"), ("1st Apps", "1"), ("", "?")],
)
def test_the_default_logo_shows_the_first_character_uppercased_for_latin(
    name: str, initial: str
) -> None:
    assert logo_initial(name) == initial


def test_the_default_logo_escapes_the_name() -> None:
    svg = default_logo_svg("<script>", LOGO_COLORS[0])
    assert "&lt;</text>" in svg
    assert "<script>" not in svg
    assert f'fill="{LOGO_COLORS[0]}"' in svg


def test_a_workspace_id_is_fixed_by_its_application() -> None:
    assert workspace_id_for("app-1") == workspace_id_for("app-1")
    assert workspace_id_for("app-1") != workspace_id_for("app-2")
