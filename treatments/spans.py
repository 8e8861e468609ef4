"""The days of a course, one home for them: its last day, whether it covers a day, whether it ran in a period.

A course runs from `started_on` up to the day before `stopped_on` (the first day off it, or on the next dose);
`stopped_on` is None while it goes on. The model's row, the facts read back and the comparison's course all ask here.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class Span(Protocol):
    @property
    def started_on(self) -> dt.date: ...

    @property
    def stopped_on(self) -> dt.date | None: ...


def last_day(course: Span) -> dt.date | None:
    """The last day on the course, or None while it goes on."""
    return None if course.stopped_on is None else course.stopped_on - dt.timedelta(days=1)


def covers(course: Span, day: dt.date) -> bool:
    """Whether `day` is a day on the course."""
    return course.started_on <= day and (course.stopped_on is None or day < course.stopped_on)


def ran_within(course: Span, first: dt.date, last: dt.date) -> bool:
    """Whether the course covers any day of first…last."""
    return course.started_on <= last and (course.stopped_on is None or first < course.stopped_on)
