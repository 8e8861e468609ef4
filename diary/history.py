"""History's days: a page of episodes grouped by the patient's local day, with the days checked in between them."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from diary.clock import local_date


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
