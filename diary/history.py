"""History's days: a page of episodes grouped by the patient's local day, with the days checked in between them
and the days nothing was logged (each a link to fill it in); and one day of the diary, for its own page."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from diary.clock import local_date, started_between


@dataclass(frozen=True)
class HistoryDay:
    """One day of History: its episodes (newest first) and the day's check-in, if any."""

    day: dt.date
    episodes: list[Any]
    checkin: bool | None = None  # numbness_today of the day's check-in

    gap = False  # a HistoryDay is a day with something in it; see Gap

    @property
    def no_numbness(self) -> bool:
        return self.checkin is False and not self.episodes

    @property
    def not_logged(self) -> bool:
        return self.checkin is None and not self.episodes

    @property
    def anchor(self) -> str:
        """The id of the day on History's page ("day-2026-12-02"): where an edit made from there comes back to."""
        return f"day-{self.day:%Y-%m-%d}"


GAP_DAYS_LISTED = 7  # a longer run of days with nothing logged lists its newest days only


@dataclass(frozen=True)
class Gap:
    """Days with nothing logged between two days of History, newest first: each can be filled in."""

    newest: dt.date
    oldest: dt.date
    gap = True

    @property
    def days(self) -> int:
        return (self.newest - self.oldest).days + 1

    @property
    def listed(self) -> list[dt.date]:
        """The days offered as links: all of a short run, the newest of a long one."""
        return [self.newest - dt.timedelta(days=n) for n in range(min(self.days, GAP_DAYS_LISTED))]

    @property
    def more(self) -> int:
        return self.days - len(self.listed)


def with_gaps(days: list[HistoryDay], newest: dt.date, oldest: dt.date) -> list[HistoryDay | Gap]:
    """History's days (newest first) with the runs of days in newest…oldest on which nothing was logged."""
    items: list[HistoryDay | Gap] = []
    expected = newest  # the next day down that should appear
    for item in days:
        if item.day > newest:
            items.append(item)
            continue
        if item.day < expected and expected >= oldest:
            items.append(Gap(expected, max(item.day + dt.timedelta(days=1), oldest)))
        items.append(item)
        expected = min(expected, item.day - dt.timedelta(days=1))
    if expected >= oldest:
        items.append(Gap(expected, oldest))
    return items


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


def one_day(patient: Any, zone: dt.tzinfo, day: dt.date) -> HistoryDay:
    """One local day of the patient's diary: its episodes, newest first, and its check-in."""
    episodes = started_between(patient.episodes.prefetch_related("locations").order_by("-started_at"), day, day, zone)
    checkin = patient.checkins.filter(date=day).values_list("numbness_today", flat=True).first()
    return HistoryDay(day, list(episodes), checkin)
