"""Local calendar days: a patient's dates are in their profile's time zone, not UTC."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

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
