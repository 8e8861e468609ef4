"""A patient's clock: their dates and times are in their profile's zone, not UTC.

`Clock` is the one place that turns a patient's zone into "now", "today" and an instant from a
time without an offset. Every writer (the log form, the API with a session or a token, the
import) reads naive times through it, so one local time means one instant on every path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

if TYPE_CHECKING:
    from diary.models import Episode


# Calendar words in one place, written by hand: strftime's %b and %a follow the process's locale, and are slow.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def day_words(day: dt.date) -> str:
    """'12 Jun 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def span_words(first: dt.date, last: dt.date) -> str:
    """A period as every page and the report write it: '3 Sep – 1 Dec 2026', '2–15 Jun 2026',
    '28 Dec 2025 – 3 Jan 2026', or one day."""
    if first == last:
        return day_words(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_words(last)}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]} – {day_words(last)}"
    return f"{day_words(first)} – {day_words(last)}"


def elapsed(since: dt.datetime, until: dt.datetime) -> dt.timedelta:
    """The real time from `since` to `until`. Python subtracts two times of one zone on the wall clock, which is an
    hour out across a change of the clocks (00:30 BST to 01:45 GMT is 2 h 15 min, not 1 h 15 min); in UTC it is not.
    """
    return until.astimezone(dt.UTC) - since.astimezone(dt.UTC)


def after(moment: dt.datetime, length: dt.timedelta) -> dt.datetime:
    """The instant `length` after `moment`, in `moment`'s zone: really that long, also across a change of the clocks
    (90 minutes after 00:50 BST on the night they go back is 01:20 GMT, not 02:20 GMT)."""
    assert moment.tzinfo is not None, "an aware time"
    return (moment.astimezone(dt.UTC) + length).astimezone(moment.tzinfo)


def instant(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC: a key that orders times truly (two times of one zone compare on the wall clock, so 01:40 BST
    comes after 01:10 GMT, which is half an hour later)."""
    return moment.astimezone(dt.UTC)


class LocalTimeError(ValueError):
    """A local time that a DST change makes impossible or ambiguous; the message gives both readings."""


def _reading(moment: dt.datetime) -> str:
    """One possible reading of a local time, as the patient's clock shows it and with its offset."""
    return f"{moment:%H:%M} {moment.tzname()} ({moment.isoformat(timespec='minutes')})"


def aware_in(naive: dt.datetime, zone: ZoneInfo, label: str = "The time") -> dt.datetime:
    """The instant a wall-clock time names in `zone`; a time that DST skips or repeats is refused.

    `label` names the field in the message ("The start time"), which gives the two possible readings.
    """
    first, second = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    wall = f"{naive:%Y-%m-%d %H:%M}"
    if first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None) != naive:
        # Skipped: read with the offset before the change or with the one after, it lands on either side.
        before = first.astimezone(dt.UTC).astimezone(zone)
        after = second.astimezone(dt.UTC).astimezone(zone)
        earlier, later = sorted((before, after))
        raise LocalTimeError(
            f"{label} {wall} does not exist in {zone.key}: the clocks went forward then. "
            f"It is either {_reading(earlier)} or {_reading(later)}; give one of those."
        )
    raise LocalTimeError(
        f"{label} {wall} happened twice in {zone.key}: the clocks went back then. "
        f"It is either {_reading(first)}, the first time, or {_reading(second)}, the second; "
        "give the time with its UTC offset."
    )


@dataclass(frozen=True)
class Clock:
    """A patient's clock: their zone, their "now" and "today", and how a time without offset is read."""

    zone: ZoneInfo

    def now(self) -> dt.datetime:
        return timezone.now().astimezone(self.zone)

    def today(self) -> dt.date:
        return self.now().date()

    def local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(self.zone)

    def aware(self, moment: dt.datetime, label: str = "The time") -> dt.datetime:
        """`moment` if it has an offset, else the instant it names on this clock (LocalTimeError if none or two)."""
        if timezone.is_aware(moment):
            return moment
        return aware_in(moment, self.zone, label)


def utc_timestamp(moment: dt.datetime) -> str:
    """An instant as every export writes it: UTC to the second, "2026-01-10T08:30:00Z"."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def row_times(row: Any) -> dict[str, str]:
    """A row's `created_at` and `updated_at` as the API answers them (`utc_timestamp`)."""
    return {"created_at": utc_timestamp(row.created_at), "updated_at": utc_timestamp(row.updated_at)}


def local_date(moment: dt.datetime, zone: dt.tzinfo) -> dt.date:
    return moment.astimezone(zone).date()


def day_start(day: dt.date, zone: dt.tzinfo) -> dt.datetime:
    """The aware instant at which a local date begins (00:00 there)."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def day_range(first: dt.date, last: dt.date, zone: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) instants covering the local dates first…last inclusive."""
    return day_start(first, zone), day_start(last + dt.timedelta(days=1), zone)


def started_between(
    episodes: QuerySet[Episode], first: dt.date | None, last: dt.date | None, zone: dt.tzinfo
) -> QuerySet[Episode]:
    """Narrow a queryset of episodes to those that started on the local dates first…last (either may be open)."""
    if first:
        episodes = episodes.filter(started_at__gte=day_start(first, zone))
    if last:
        episodes = episodes.filter(started_at__lt=day_start(last + dt.timedelta(days=1), zone))
    return episodes


# --- How long, in words --------------------------------------------------------------------------

STILL_GOING = "still going"
NOT_SURE = "not sure how long"


def duration_words(minutes: int) -> str:
    """55 → "55 minutes", 125 → "2 hours 5 minutes": a duration said in full."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'' if hours == 1 else 's'}"] if hours else []
    if rest or not hours:
        parts.append(f"{rest} minute{'' if rest == 1 else 's'}")
    return " ".join(parts)


def minutes_label(minutes: float | None) -> str:
    """5 → "5 min", 7.5 → "7.5 min", None → "–": a number of minutes in a list or a table."""
    return "–" if minutes is None else f"{minutes:g} min"


def episode_duration(duration_minutes: int | None, unknown: bool = False) -> str:
    """An episode's duration as every list shows it: "5 min", "still going" while it has none, or "not sure how
    long" when the patient didn't know."""
    if duration_minutes is None:
        return NOT_SURE if unknown else STILL_GOING
    return minutes_label(duration_minutes)
