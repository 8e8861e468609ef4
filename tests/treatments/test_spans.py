"""A course's days (`treatments.spans`), worked out by hand: a course from 1 March with `stopped_on` 11 March
runs 1–10 March; the first day off it is not on it."""

from __future__ import annotations

import datetime as dt

import pytest

from treatments import spans
from treatments.facts import CourseFacts
from treatments.models import Course

D = dt.date
STOPPED = CourseFacts(started_on=D(2026, 3, 1), stopped_on=D(2026, 3, 11))
GOING = CourseFacts(started_on=D(2026, 3, 1))


def test_the_last_day_is_the_day_before_the_first_day_off():
    assert spans.last_day(STOPPED) == D(2026, 3, 10)
    assert spans.last_day(GOING) is None


@pytest.mark.parametrize(
    ("day", "stopped", "going"),
    [
        (D(2026, 2, 28), False, False),  # the day before it starts
        (D(2026, 3, 1), True, True),  # its first day
        (D(2026, 3, 10), True, True),  # its last day
        (D(2026, 3, 11), False, True),  # the first day off it (or on the next dose)
        (D(2027, 1, 1), False, True),
    ],
)
def test_a_course_covers_its_days_and_no_other(day, stopped, going):
    assert spans.covers(STOPPED, day) is stopped
    assert spans.covers(GOING, day) is going


@pytest.mark.parametrize(
    ("first", "last", "stopped", "going"),
    [
        (D(2026, 2, 1), D(2026, 2, 28), False, False),  # a period that ends the day before
        (D(2026, 2, 1), D(2026, 3, 1), True, True),  # one that ends on its first day
        (D(2026, 3, 10), D(2026, 3, 31), True, True),  # one that starts on its last day
        (D(2026, 3, 11), D(2026, 3, 31), False, True),  # one that starts on the first day off it
        (D(2026, 3, 4), D(2026, 3, 5), True, True),  # inside it
    ],
)
def test_a_course_ran_within_a_period_when_it_covers_one_of_its_days(first, last, stopped, going):
    assert spans.ran_within(STOPPED, first, last) is stopped
    assert spans.ran_within(GOING, first, last) is going
    days = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    assert spans.ran_within(STOPPED, first, last) is any(spans.covers(STOPPED, day) for day in days)


def test_the_row_and_the_facts_give_one_last_day_and_read_each_other_back_whole():
    row = STOPPED.row()
    assert isinstance(row, Course) and row.last_day == STOPPED.last_day == D(2026, 3, 10)
    assert CourseFacts.of(row) == STOPPED
    whole = CourseFacts(
        D(2026, 3, 1), D(2026, 4, 1), dose_amount=None, dose_unit="mg", times_per_day=3, stop_reason="side_effects"
    )
    assert CourseFacts.of(whole.row()) == whole  # every field, not only the dates
