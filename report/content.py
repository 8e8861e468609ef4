"""What the physician report says, for one patient and period: numbers, changes, flags, episodes.

The numbers come from `diary.trends`; the flags and their reasons from `triage`. The PDF, the
shared web page, the CSV and the FHIR bundle are all built from this.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from diary import bodymap, trends, vocab
from diary.facts import EpisodeFacts, load_checkins, load_facts
from diary.services import profile_of
from diary.trends import Trends
from triage import signs
from triage.models import ACTIVE, WITHDRAWN, Flag


@dataclass(frozen=True)
class KeyNumber:
    label: str
    value: str
    change: str  # against the previous period of equal length


@dataclass(frozen=True)
class ReportFlag:
    flag: Flag
    sign: signs.Sign
    reasons: list[str]

    @property
    def level_label(self) -> str:
        return signs.LEVEL_LABELS[self.flag.level]


@dataclass(frozen=True)
class EpisodeRow:
    facts: EpisodeFacts
    when: str
    duration: str
    where: str
    sensations: str
    triggers: str
    symptoms: str
    relief: str


@dataclass(frozen=True)
class Report:
    patient_name: str
    date_of_birth: dt.date | None
    timezone: str
    first: dt.date
    last: dt.date
    previous: tuple[dt.date, dt.date]
    generated_at: dt.datetime
    trends: Trends
    previous_trends: Trends
    key_numbers: list[KeyNumber]
    flags: list[ReportFlag]
    episodes: list[EpisodeFacts]
    rows: list[EpisodeRow]
    shaded_views: list[Any]
    conditions: list[str]


def previous_period(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    length = (last - first).days + 1
    end = first - dt.timedelta(days=1)
    return end - dt.timedelta(days=length - 1), end


def _number(value: float | int | None, unit: str = "") -> str:
    return "–" if value is None else f"{value:g}{unit}"


def _change(now: float | None, before: float | None, unit: str = "") -> str:
    if now is None or before is None:
        return "no earlier data" if before is None else "–"
    delta = round(now - before, 1)
    if delta == 0:
        return "no change"
    return f"{delta:+g}{unit}"


def key_numbers(current: Trends, earlier: Trends) -> list[KeyNumber]:
    days = f"previous {earlier.days} days"
    return [
        KeyNumber("Episodes", str(current.episodes), f"{_change(current.episodes, earlier.episodes)} vs {days}"),
        KeyNumber(
            "Days with numbness / days logged",
            f"{current.days_with_numbness} / {current.days_logged}",
            f"{earlier.days_with_numbness} / {earlier.days_logged} in the {days}",
        ),
        KeyNumber(
            "Median duration",
            _number(current.median_minutes, " min"),
            f"{_change(current.median_minutes, earlier.median_minutes, ' min')} vs {days}",
        ),
        KeyNumber(
            f"Mean severity ({vocab.SEVERITY_RANGE_LABEL})",
            _number(current.mean_severity),
            f"{_change(current.mean_severity, earlier.mean_severity)} vs {days}",
        ),
    ]


def _labels(vocabulary: dict[str, vocab.Term], codes: Collection[str]) -> str:
    return ", ".join(t.label for code, t in vocabulary.items() if code in codes)


def place_label(side: str, region: str) -> str:
    return f"{vocab.SIDES[side].label} {vocab.REGIONS[region].label.lower()}"


def episode_row(e: EpisodeFacts) -> EpisodeRow:
    places = sorted(e.locations, key=lambda pair: vocab.location_key(*pair))
    return EpisodeRow(
        facts=e,
        when=f"{e.start:%a %d %b %Y %H:%M}",
        duration="ongoing" if e.ongoing else f"{e.duration_minutes} min",
        where=", ".join(place_label(side, region) for side, region in places),
        sensations=_labels(vocab.SENSATIONS, e.sensations),
        triggers=_labels(vocab.TRIGGERS, e.triggers),
        symptoms=_labels(vocab.SYMPTOMS, e.symptoms),
        relief=_labels(vocab.RELIEF, e.relieved_by),
    )


def flags_in_period(patient: User, first: dt.date, last: dt.date) -> list[Flag]:
    """Every flag that was live at some point in the period, most serious first; never a withdrawn one."""
    flags = (
        Flag.objects.filter(patient=patient, first_seen__lte=last)
        .filter(Q(last_seen__gte=first) | Q(status__in=ACTIVE))
        .exclude(resolution=WITHDRAWN)
    )
    return sorted(flags, key=lambda f: (signs.LEVEL_ORDER[f.level], f.first_seen, f.code))


def build(patient: User, first: dt.date, last: dt.date, now: dt.datetime | None = None) -> Report:
    profile = profile_of(patient)
    zone = profile.zone
    earlier_first, earlier_last = previous_period(first, last)
    episodes = load_facts(patient, zone, earlier_first, last)
    checkins = load_checkins(patient, earlier_first, last)
    current = trends.compute(episodes, checkins, first, last)
    earlier = trends.compute(episodes, checkins, earlier_first, earlier_last)
    in_period = [e for e in episodes if first <= e.day <= last]
    return Report(
        patient_name=patient.get_full_name() or patient.username,
        date_of_birth=profile.date_of_birth,
        timezone=profile.timezone,
        first=first,
        last=last,
        previous=(earlier_first, earlier_last),
        generated_at=(now or timezone.now()).astimezone(zone),
        trends=current,
        previous_trends=earlier,
        key_numbers=key_numbers(current, earlier),
        flags=[ReportFlag(f, f.sign, f.reasons) for f in flags_in_period(patient, first, last)],
        episodes=in_period,
        rows=[episode_row(e) for e in in_period],
        shaded_views=bodymap.shaded_views(current.regions),
        conditions=[vocab.CONDITIONS[c].label for c in profile.conditions],
    )
