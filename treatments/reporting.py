"""What the physician report needs of the patient's treatments (DESIGN §8, §10), as plain data for a period.

`section(patient, first, last, today)` loads once and gives everything the report shows: the treatments being
taken on the period's last day (dose, since when), every start, stop and change of dose in the period, the
comparisons that have enough entries, and the as-needed use table. The FHIR resources are in
`treatments.fhir`. The words are those of the Trends page and the treatment's page (`comparison.sentences`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from diary.clock import day_words
from treatments import spans, timeline, vocab
from treatments.comparison import Comparison, Uses
from treatments.facts import TreatmentFacts, load_treatments
from treatments.overview import period_summaries
from treatments.timeline import Change


@dataclass(frozen=True)
class Current:
    """A treatment being taken on a day: "Pregabalin, 75 mg twice a day, since 3 Jan 2026"."""

    treatment_id: str
    name: str
    kind: str  # vocab.KINDS code
    schedule: str  # vocab.SCHEDULES code
    dose: str  # in words
    since: dt.date  # the current course's first day (this dose)
    first_started: dt.date  # the first day of its first course (when it was first taken)
    rxcui: str  # RxNorm ingredient, where verified; else empty

    @property
    def words(self) -> str:
        started = "" if self.first_started == self.since else f" (first started {day_words(self.first_started)})"
        return f"{self.name}, {self.dose}, since {day_words(self.since)}{started}"


@dataclass(frozen=True)
class Section:
    """The report's treatments for local dates first…last."""

    first: dt.date
    last: dt.date
    current: list[Current]
    changes: list[Change]  # every start, stop and change of dose in the period, oldest first
    comparisons: list[Comparison]  # courses that ran in the period, with enough entries on both sides
    uses: list[Uses]  # treatments taken when needed, with a course in the period: how often, how they helped

    @property
    def empty(self) -> bool:
        return not (self.current or self.changes or self.uses)


def current_on(treatments: list[TreatmentFacts], day: dt.date) -> list[Current]:
    """The treatments being taken on `day` (its course covers it), by name."""
    found = []
    for t in treatments:
        course = t.course_on(day)
        if course is None or t.first_day is None:
            continue
        suggestion = vocab.SUGGESTIONS.get(t.ingredient)
        found.append(
            Current(
                treatment_id=t.id,
                name=t.name,
                kind=t.kind,
                schedule=t.schedule,
                dose=t.dose_words(course),
                since=course.started_on,
                first_started=t.first_day,
                rxcui=suggestion.rxcui if suggestion else "",
            )
        )
    return found


def section(patient: User, first: dt.date, last: dt.date, today: dt.date) -> Section:
    """Everything the report says of treatments for first…last, in a fixed number of queries (five)."""
    treatments = load_treatments(patient)
    ran = [t for t in treatments if t.ran_within(first, last)]
    found = period_summaries(patient, first, last, today, {t.id for t in ran}, treatments)
    comparisons = [c for s in found for c in s.comparisons if c.enough and spans.ran_within(c, first, last)]
    return Section(
        first=first,
        last=last,
        current=current_on(treatments, min(last, today)),
        changes=timeline.changes_between(timeline.changes(treatments), first, last),
        comparisons=comparisons,
        uses=[s.uses for s in found if s.uses is not None],
    )
