"""A clock a test moves: given to an app's create_app(clock=...) in place of the wall clock."""

from datetime import datetime, timedelta

from shared.mongo import utc_now


class Clock:
    def __init__(self) -> None:
        self.now = utc_now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
