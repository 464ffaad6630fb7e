"""The expected decision date counts business days of mainland China: the public holidays
and the weekends made working days of the State Council's schedule (chinese-calendar), in
China's time; past the package's data, weekdays, with a warning."""

import logging
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from workspaces.domain import add_business_days, calendar_knows, expected_decision_by
from workspaces.domain.calendar import _warn_past_the_calendar, is_business_day

CST = timezone(timedelta(hours=8))


def _cst(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=CST)


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        # Spring Festival 2026: Feb 15 (Sun) to Feb 23 (Mon) off; Sat Feb 14 and Sat Feb 28
        # are working days.
        (_cst(2026, 2, 12), _cst(2026, 2, 14)),  # Thu → Fri 13, Sat 14 (a working Saturday)
        (_cst(2026, 2, 13), _cst(2026, 2, 24)),  # Fri → Sat 14, then nothing until Tue 24
        (_cst(2026, 2, 14), _cst(2026, 2, 25)),  # the working Saturday → Tue 24, Wed 25
        (_cst(2026, 2, 17), _cst(2026, 2, 25)),  # during the holiday → Tue 24, Wed 25
        (_cst(2026, 2, 26), _cst(2026, 2, 28)),  # Thu → Fri 27, Sat 28 (a working Saturday)
        # National Day 2026: Oct 1 to Oct 7 off; Sun Sep 20 and Sat Oct 10 are working days,
        # and the Mid-Autumn Festival (Fri Sep 25) is off.
        (_cst(2026, 9, 18), _cst(2026, 9, 21)),  # Fri → Sun 20 (working), Mon 21
        (_cst(2026, 9, 24), _cst(2026, 9, 29)),  # Thu → Mon 28, Tue 29 (Fri 25 off)
        (_cst(2026, 9, 30), _cst(2026, 10, 9)),  # Wed → Thu 8, Fri 9
        (_cst(2026, 10, 3), _cst(2026, 10, 9)),  # in the holiday → Thu 8, Fri 9
        (_cst(2026, 10, 9), _cst(2026, 10, 12)),  # Fri → Sat 10 (working), Mon 12
    ],
)
def test_the_decision_date_skips_chinas_holidays_and_counts_its_working_weekends(
    submitted: datetime, expected: datetime
) -> None:
    assert expected_decision_by(submitted.astimezone(UTC)) == expected


def test_business_days_are_counted_in_chinas_time_not_utc() -> None:
    # Thu Feb 12 20:00 UTC is already Fri Feb 13 04:00 in China: from there, Sat 14 and
    # then (the Spring Festival) Tue 24.
    submitted = datetime(2026, 2, 12, 20, 0, tzinfo=UTC)
    assert add_business_days(submitted, 2) == datetime(2026, 2, 23, 20, 0, tzinfo=UTC)


def test_the_package_knows_2026_and_not_yet_2027() -> None:
    # The reason for the fallback below: the schedule of a year is published in November
    # of the year before, and chinese-calendar 1.11.0 ends with 2026. When an upgrade
    # brings 2027, this test says so (then README's note on the fallback wants updating).
    assert calendar_knows(date(2026, 12, 31))
    assert not calendar_knows(date(2027, 1, 4))


def test_past_the_known_schedule_weekdays_count_and_a_warning_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    _warn_past_the_calendar.cache_clear()  # warned once per year and process
    with caplog.at_level(logging.WARNING, logger="workspaces.domain.calendar"):
        # Wed Dec 30 2026 → Thu 31 (known), then 2027: Fri Jan 1 counts as a weekday.
        assert expected_decision_by(_cst(2026, 12, 30)) == _cst(2027, 1, 1)
        assert is_business_day(date(2027, 2, 8)) is True  # Monday; Spring Festival unknown
        assert is_business_day(date(2027, 2, 6)) is False  # Saturday
    assert "no holiday schedule for 2027" in caplog.text
