"""Episodes as plain facts in the patient's local time: what trends and triage compute from.

`load_facts` reads a patient's episodes for a range of local dates in two queries (and
`load_facts_of_many` those of many patients, for the nightly review), without building model
instances or running Django's per-value converters, so that charts and reviews stay fast on years
of entries. This module only loads: `insights` computes trends and `triage` reviews from what it loads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import connections
from django.db.models import QuerySet

from diary import vocab
from diary.clock import day_range, instant
from diary.models import CheckIn, Episode, EpisodeLocation


@dataclass(frozen=True)
class EpisodeFacts:
    id: str
    start: dt.datetime  # aware, in the patient's time zone
    duration_minutes: int | None
    severity: int
    locations: frozenset[tuple[str, str]]
    sensations: frozenset[str] = frozenset()
    triggers: frozenset[str] = frozenset()
    symptoms: frozenset[str] = frozenset()
    relieved_by: frozenset[str] = frozenset()
    notes: str = ""
    alarm_answered: bool = False
    duration_unknown: bool = False  # over, and the patient doesn't know how long it lasted (no minutes)

    @property
    def ongoing(self) -> bool:
        return self.duration_minutes is None and not self.duration_unknown

    @property
    def day(self) -> dt.date:
        return self.start.date()

    @property
    def instant(self) -> dt.datetime:
        """The start in UTC, to order episodes by: `start`'s wall clock repeats an hour when the clocks go back."""
        return instant(self.start)

    @property
    def places(self) -> list[vocab.Place]:
        """Where it was, in natural order."""
        return vocab.places(self.locations)

    @property
    def sides(self) -> set[str]:
        return {side for side, _ in self.locations}

    @property
    def top_level(self) -> int:
        return max((vocab.REGIONS[region].level or 0 for _, region in self.locations), default=0)

    @property
    def at_night(self) -> bool:
        return vocab.is_night_hour(self.start.hour)


def facts_from_episode(
    episode: Episode, zone: dt.tzinfo, locations: Iterable[EpisodeLocation] | None = None
) -> EpisodeFacts:
    """The facts of a saved episode, or of one about to be (its `locations` given: not yet rows to read)."""
    return EpisodeFacts(
        id=str(episode.id),
        start=episode.started_at.astimezone(zone),
        duration_minutes=episode.duration_minutes,
        severity=episode.severity,
        locations=frozenset(
            (loc.side, loc.region) for loc in (episode.locations.all() if locations is None else locations)
        ),
        sensations=frozenset(episode.sensations),
        triggers=frozenset(episode.triggers),
        symptoms=frozenset(episode.symptoms),
        relieved_by=frozenset(episode.relieved_by),
        notes=episode.notes,
        alarm_answered=episode.alarm_answered,
        duration_unknown=episode.duration_unknown,
    )


FIELDS = (
    "id",
    "patient_id",
    "started_at",
    "duration_minutes",
    "severity",
    "sensations",
    "triggers",
    "symptoms",
    "relieved_by",
    "notes",
    "alarm_answered",
    "duration_unknown",
)


def _raw_rows(queryset: QuerySet[Any], fields: Sequence[str]) -> list[tuple[Any, ...]]:
    """The rows of `queryset.values_list(*fields)` as the database driver returns them.

    Django's per-value converters (UUIDs, datetimes, JSON) cost more than the query itself on
    years of entries; `_uuid`, `_instant` and `_json` convert what each backend returns instead.
    """
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def _uuid(value: Any) -> str:
    if isinstance(value, str) and len(value) == 32:  # SQLite keeps 32 hex digits
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


def _instant(value: Any) -> dt.datetime:
    if isinstance(value, str):  # SQLite: UTC without an offset
        return dt.datetime.fromisoformat(value).replace(tzinfo=dt.UTC)
    instant: dt.datetime = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    return instant


class _Codes(dict[Any, frozenset[str]]):
    """A JSON list of codes as a frozenset, each distinct text decoded once (diaries repeat themselves)."""

    def __missing__(self, value: Any) -> frozenset[str]:
        codes = frozenset(json.loads(value))
        self[value] = codes
        return codes

    def of(self, value: Any) -> frozenset[str]:
        return self[value] if isinstance(value, (str, bytes)) else frozenset(value or ())


def _facts_by_patient(episodes: QuerySet[Episode], zones: Mapping[int, dt.tzinfo]) -> dict[int, list[EpisodeFacts]]:
    """The facts of these episodes, per patient, oldest first, in two queries whatever their number."""
    rows = _raw_rows(episodes.order_by("started_at", "id"), FIELDS)
    places: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for episode_id, side, region in _raw_rows(
        EpisodeLocation.objects.filter(episode__in=episodes.values("id")).order_by(), ("episode_id", "side", "region")
    ):
        places[_uuid(episode_id)].add((side, region))
    found: dict[int, list[EpisodeFacts]] = defaultdict(list)
    codes = _Codes()
    for (
        episode_id,
        patient_id,
        started_at,
        minutes,
        severity,
        sensations,
        triggers,
        symptoms,
        relieved,
        notes,
        asked,
        unknown,
    ) in rows:
        key = _uuid(episode_id)
        found[patient_id].append(
            EpisodeFacts(
                id=key,
                start=_instant(started_at).astimezone(zones[patient_id]),
                duration_minutes=minutes,
                severity=severity,
                locations=frozenset(places[key]),
                sensations=codes.of(sensations),
                triggers=codes.of(triggers),
                symptoms=codes.of(symptoms),
                relieved_by=codes.of(relieved),
                notes=notes,
                alarm_answered=bool(asked),
                duration_unknown=bool(unknown),
            )
        )
    return found


def load_facts(patient: User, zone: dt.tzinfo, first: dt.date | None, last: dt.date) -> list[EpisodeFacts]:
    """The patient's episodes that started on local dates first…last (first=None: from the start), oldest first."""
    start, end = day_range(first or last, last, zone)
    episodes = Episode.objects.filter(patient=patient, started_at__lt=end)
    if first is not None:
        episodes = episodes.filter(started_at__gte=start)
    return _facts_by_patient(episodes, {patient.pk: zone}).get(patient.pk, [])


@dataclass(frozen=True)
class Span:
    """Local dates first…last of one patient's diary, read in the patient's zone."""

    zone: dt.tzinfo
    first: dt.date
    last: dt.date


def load_facts_of_many(spans: Mapping[int, Span]) -> dict[int, list[EpisodeFacts]]:
    """Each patient's episodes in their own span of local dates, for any number of patients in two queries."""
    if not spans:
        return {}
    bounds = {pid: day_range(span.first, span.last, span.zone) for pid, span in spans.items()}
    episodes = Episode.objects.filter(
        patient_id__in=list(spans),
        started_at__gte=min(start for start, _ in bounds.values()),
        started_at__lt=max(end for _, end in bounds.values()),
    )
    found = _facts_by_patient(episodes, {pid: span.zone for pid, span in spans.items()})
    # One query covers the widest span; each patient keeps the episodes inside their own.
    return {pid: [e for e in found.get(pid, []) if start <= e.start < end] for pid, (start, end) in bounds.items()}


def load_named_facts(
    named: Mapping[int, Collection[str]], zones: Mapping[int, dt.tzinfo]
) -> dict[int, dict[str, EpisodeFacts]]:
    """Per patient, the facts of the episodes they name (by id) that still exist, in two queries."""
    ids = [i for episode_ids in named.values() for i in episode_ids]
    if not ids:
        return {pid: {} for pid in named}
    found = _facts_by_patient(Episode.objects.filter(patient_id__in=list(named), id__in=ids), zones)
    return {pid: {e.id: e for e in found.get(pid, []) if e.id in wanted} for pid, wanted in named.items()}


def load_checkins(patient: User, first: dt.date | None, last: dt.date) -> dict[dt.date, bool]:
    checkins = CheckIn.objects.filter(patient=patient, date__lte=last)
    if first is not None:
        checkins = checkins.filter(date__gte=first)
    return dict(checkins.values_list("date", "numbness_today"))
