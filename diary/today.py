"""Today, the home page: the last seven days, the last episode, this month's logging and episodes still going.

A plain function over the patient's rows, in a fixed number of queries; the Today view only renders it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from diary import facts
from diary.clock import local_date
from diary.coverage import NOT_LOGGED, NUMBNESS, STATE_WORDS, day_states, diary_state
from diary.models import ONGOING, Episode

WEEK_DAYS = 7
BEFORE_START = "before_start"  # a date before the diary began: neither logged nor "not logged"
STATE_LABELS = {**STATE_WORDS, BEFORE_START: "before your diary began"}
ONGOING_SHOWN = 3


@dataclass(frozen=True)
class Day:
    date: dt.date
    state: str  # coverage.NUMBNESS, NONE, NOT_LOGGED or BEFORE_START
    is_today: bool

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True)
class Month:
    first: dt.date
    days_so_far: int  # dates of this month up to today that the diary covers
    days_logged: int
    days_with_numbness: int


@dataclass(frozen=True)
class Home:
    today: dt.date
    week: list[Day]  # oldest first, today last
    month: Month
    last_episode: Episode | None  # with its locations prefetched
    ongoing: list[Episode]  # episodes with no duration yet, newest first
    ongoing_more: int  # how many more are still going than are listed
    started: dt.date  # the local date the diary began

    @property
    def new_diary(self) -> bool:
        return self.last_episode is None and all(d.state in (NOT_LOGGED, BEFORE_START) for d in self.week)


def diary_start(patient: User, zone: dt.tzinfo, today: dt.date) -> dt.date:
    """The day the diary began: sign-up, or an earlier imported entry."""
    joined = local_date(patient.date_joined, zone)
    return min(joined, diary_state(patient, zone).began(today))


def home(patient: User, zone: dt.tzinfo, today: dt.date) -> Home:
    """Everything the Today page shows besides today's episodes and the flags."""
    week_first = today - dt.timedelta(days=WEEK_DAYS - 1)
    month_first = today.replace(day=1)
    first = min(week_first, month_first)
    started = diary_start(patient, zone, today)

    episodes = facts.load_facts(patient, zone, first, today)
    checkins = facts.load_checkins(patient, first, today)
    states = dict(day_states(episodes, checkins, first, today))

    def state(day: dt.date) -> str:
        return BEFORE_START if day < started and states[day] == NOT_LOGGED else states[day]

    week = [Day(d, state(d), d == today) for d in (week_first + dt.timedelta(days=i) for i in range(WEEK_DAYS))]
    month_days = [month_first + dt.timedelta(days=i) for i in range((today - month_first).days + 1)]
    covered = [d for d in month_days if state(d) != BEFORE_START]
    month = Month(
        first=month_first,
        days_so_far=len(covered),
        days_logged=sum(states[d] != NOT_LOGGED for d in covered),
        days_with_numbness=sum(states[d] == NUMBNESS for d in covered),
    )

    mine = Episode.objects.filter(patient=patient).prefetch_related("locations")
    ongoing = list(mine.filter(ONGOING).order_by("-started_at")[: ONGOING_SHOWN + 1])
    return Home(
        today=today,
        week=week,
        month=month,
        last_episode=mine.order_by("-started_at").first(),
        ongoing=ongoing[:ONGOING_SHOWN],
        ongoing_more=max(0, Episode.objects.filter(ONGOING, patient=patient).count() - ONGOING_SHOWN)
        if len(ongoing) > ONGOING_SHOWN
        else 0,
        started=started,
    )
