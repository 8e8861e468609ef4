"""Which days a patient's diary covers, and how: its first and last entry, and each day's state.

A day is one of three things: numbness (an episode, or a "yes" check-in), no numbness (a "no"
check-in), or not logged. Days before the diary's first entry are none of these: the diary did not
exist yet. Today, Trends and the report all read the diary's span and its days from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Max, Min

from diary.clock import local_date
from diary.facts import EpisodeFacts
from diary.models import CheckIn, Episode

NUMBNESS, NONE, NOT_LOGGED = "numbness", "none", "not_logged"
STATE_WORDS = {NUMBNESS: "numbness", NONE: "no numbness", NOT_LOGGED: "not logged"}


@dataclass(frozen=True)
class DiaryState:
    """The local dates of a patient's first and last entry (episode or check-in), and a stamp that changes
    whenever an entry is added, changed or removed."""

    first: dt.date | None
    last: dt.date | None
    stamp: str = ""

    def began(self, today: dt.date) -> dt.date:
        """The day the diary began: its first entry, or today for a diary with none (or only future ones)."""
        return min(self.first, today) if self.first else today

    def covered(self, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date] | None:
        """The part of first…last between the first and the last entry; None when it holds no entry."""
        if self.first is None or self.last is None:
            return None
        start, end = max(first, self.first), min(last, self.last)
        return (start, end) if start <= end else None


def diary_state(patient: User, zone: dt.tzinfo) -> DiaryState:
    """The patient's `DiaryState` in their zone: two aggregate queries over their own rows, whatever the size."""
    episodes = Episode.objects.filter(patient=patient).aggregate(
        n=Count("pk"), changed=Max("updated_at"), first=Min("started_at"), last=Max("started_at")
    )
    checkins = CheckIn.objects.filter(patient=patient).aggregate(
        n=Count("pk"), changed=Max("updated_at"), first=Min("date"), last=Max("date")
    )
    firsts = [d for d in (episodes["first"] and local_date(episodes["first"], zone), checkins["first"]) if d]
    lasts = [d for d in (episodes["last"] and local_date(episodes["last"], zone), checkins["last"]) if d]
    stamp = ".".join(
        str(part)
        for rows in (episodes, checkins)
        for part in (rows["n"], rows["changed"] and rows["changed"].timestamp())
    )
    return DiaryState(min(firsts, default=None), max(lasts, default=None), stamp)


def day_states(
    episodes: Sequence[EpisodeFacts], checkins: dict[dt.date, bool], first: dt.date, last: dt.date
) -> list[tuple[dt.date, str]]:
    """Each date: numbness (an episode or a "yes" check-in), none (a "no" check-in), or not logged."""
    with_episodes = {e.day for e in episodes}
    states = []
    day = first
    while day <= last:
        if day in with_episodes or checkins.get(day):
            states.append((day, NUMBNESS))
        elif day in checkins:
            states.append((day, NONE))
        else:
            states.append((day, NOT_LOGGED))
        day += dt.timedelta(days=1)
    return states
