"""`{{ moment|at:kind }}`: a date of another year than the patient's today says its year, in the neutral words the
server writes and in the kind that static/js/localtime.js rewrites in the phone's habits."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from diary.templatetags.moments import NEUTRAL, WITH_YEAR, at
from tests.conftest import REPO

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    "now, zone, value, kind, expected",
    [
        # A link that expired last December, read in January: its year is said.
        ("2027-01-05T09:00Z", LONDON, dt.datetime(2026, 12, 20, 0, 53, tzinfo=dt.UTC), "moment",
         '<time datetime="2026-12-20T00:53" data-format="moment-year">Sun 20 Dec 2026, 00:53</time>'),
        ("2027-01-05T09:00Z", LONDON, dt.datetime(2027, 1, 3, 14, 5, tzinfo=dt.UTC), "moment",
         '<time datetime="2027-01-03T14:05" data-format="moment">Sun 3 Jan, 14:05</time>'),
        # New Year's Eve 23:30 in London is New Year's Day in Tokyo, where it is now 2 January: this year there.
        ("2027-01-02T00:00Z", TOKYO, dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), "moment",
         '<time datetime="2027-01-01T08:30" data-format="moment">Fri 1 Jan, 08:30</time>'),
        ("2027-01-02T00:00Z", LONDON, dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), "day-time",
         '<time datetime="2026-12-31T23:30" data-format="day-time-year">Thursday 31 December 2026, 23:30</time>'),
        ("2027-03-01T12:00Z", LONDON, dt.date(2026, 11, 30), "short-day",
         '<time datetime="2026-11-30T12:00" data-format="short-day-year">Mon 30 Nov 2026</time>'),
        # A time alone stays a time: what day it belongs to is said beside it.
        ("2027-01-05T09:00Z", LONDON, dt.datetime(2026, 12, 20, 0, 53, tzinfo=dt.UTC), "time",
         '<time datetime="2026-12-20T00:53" data-format="time">00:53</time>'),
    ],
)  # fmt: skip
def test_a_moment_of_another_year_says_its_year(now, zone, value, kind, expected):
    with time_machine.travel(now, tick=False), timezone.override(zone):
        assert at(value, kind) == expected


def test_the_kinds_with_a_year_are_the_phones_kinds_too():
    util = (REPO / "static/js/util.js").read_text()
    formats = util.split("const FORMATS = {", 1)[1].split("};", 1)[0]
    phone_kinds = set(re.findall(r'^\s+"?([a-z-]+)"?: \{', formats, re.M))
    assert set(NEUTRAL) == phone_kinds
    assert set(WITH_YEAR.values()) <= phone_kinds and all("%Y" in NEUTRAL[k] for k in WITH_YEAR.values())
