"""Business days of mainland China: Monday to Friday, less the public holidays, plus the
weekends the State Council makes working days around them (调休), from the schedule each
year's notice publishes, as the `chinese-calendar` package keeps it.

The package knows the years whose notice is out (2004 up to its release; 1.11.0 ends with
2026). For a later year it has no data: then a day counts as a business day when it is a
weekday, a warning says the package wants an upgrade, and the date is only an estimate
(holidays not yet published are not known anywhere). Never a failure: a submission in late
December must not fail because next year's notice is not out yet.
"""

import functools
import logging
from datetime import UTC, date, datetime, timedelta, timezone

import chinese_calendar

log = logging.getLogger(__name__)

# Mainland China keeps one time zone, UTC+8, without daylight saving time (since 1991): a
# fixed offset needs no time zone database in the image.
CHINA_TIME = timezone(timedelta(hours=8), "Asia/Shanghai")


@functools.cache
def _warn_past_the_calendar(year: int) -> None:
    log.warning(
        "chinese-calendar has no holiday schedule for %s: counting Monday to Friday as "
        "business days; upgrade chinese-calendar once the State Council's notice is out",
        year,
    )


def calendar_knows(day: date) -> bool:
    """Whether the holiday schedule of the day's year is known."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_business_day(day: date) -> bool:
    """A working day in mainland China (weekdays only, past the known schedule)."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        _warn_past_the_calendar(day.year)
        return day.weekday() < 5


def add_business_days(start: datetime, days: int) -> datetime:
    """The moment `days` business days after `start`: the same time of day in China, on the
    `days`-th business day after the day of `start` there (a submission on a holiday or a
    weekend counts from the next business day on)."""
    local = start.astimezone(CHINA_TIME)
    day = local.date()
    remaining = days
    while remaining:
        day += timedelta(days=1)
        if is_business_day(day):
            remaining -= 1
    return datetime.combine(day, local.timetz()).astimezone(UTC)
