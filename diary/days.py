"""Local calendar days: a patient's dates are in their profile's time zone, not UTC."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

if TYPE_CHECKING:
    from diary.models import Episode


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


@dataclass(frozen=True)
class HistoryDay:
    """One day of History: its episodes (newest first) and the day's check-in, if any."""

    day: dt.date
    episodes: list[Any]
    checkin: bool | None = None  # numbness_today of the day's check-in

    @property
    def no_numbness(self) -> bool:
        return self.checkin is False and not self.episodes


def history_days(
    episodes: Sequence[Any],
    zone: dt.tzinfo,
    checkins: dict[dt.date, bool],
    *,
    down_to: dt.date | None,
    newer_than: dt.date | None,
) -> list[HistoryDay]:
    """Episodes (newest first) grouped by local day, with the check-in days between down_to and newer_than.

    A page of History shows the days of its episodes and every check-in day in its stretch of time:
    from `down_to` (inclusive; None = no limit) to just before `newer_than` (None = no limit), so
    "no numbness" days appear between the episodes, each on exactly one page.
    """
    grouped = {
        day: list(group) for day, group in itertools.groupby(episodes, key=lambda e: local_date(e.started_at, zone))
    }
    days = set(grouped) | {
        day for day in checkins if (down_to is None or day >= down_to) and (newer_than is None or day < newer_than)
    }
    return [HistoryDay(day, grouped.get(day, []), checkins.get(day)) for day in sorted(days, reverse=True)]
