"""Treatments, courses and doses as plain facts: what the comparison, the Trends bands and the report read.

Loaded in a fixed number of queries whatever the size of the diary, like `diary.facts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, fields
from decimal import Decimal

from django.contrib.auth.models import User

from diary.clock import day_range
from treatments import spans, vocab
from treatments.models import Course, Dose, Treatment


@dataclass(frozen=True)
class CourseFacts:
    """A course at one dose: as loaded, and as the forms, the API and the import give it to the services."""

    started_on: dt.date
    stopped_on: dt.date | None = None  # the first day off it (or on the next dose); None while it goes on
    dose_amount: Decimal | None = None
    dose_unit: str = ""
    times_per_day: int | None = None
    stop_reason: str = ""

    @property
    def last_day(self) -> dt.date | None:
        return spans.last_day(self)

    def same_dose(self, other: CourseFacts) -> bool:
        return (self.dose_amount, self.dose_unit, self.times_per_day) == (
            other.dose_amount,
            other.dose_unit,
            other.times_per_day,
        )

    @classmethod
    def of(cls, course: Course) -> CourseFacts:
        return cls(**{field.name: getattr(course, field.name) for field in fields(cls)})

    def row(self, treatment: Treatment | None = None) -> Course:
        """The course as a row of `treatment` (unsaved), to validate or to save."""
        return Course(treatment=treatment, **{field.name: getattr(self, field.name) for field in fields(self)})


@dataclass(frozen=True)
class TreatmentFacts:
    id: str
    name: str
    kind: str
    ingredient: str
    schedule: str
    courses: tuple[CourseFacts, ...]  # oldest first, never overlapping

    @property
    def as_needed(self) -> bool:
        return self.schedule == vocab.AS_NEEDED

    @property
    def current(self) -> CourseFacts | None:
        """The course still going, if any."""
        return self.courses[-1] if self.courses and self.courses[-1].stopped_on is None else None

    @property
    def first_day(self) -> dt.date | None:
        return self.courses[0].started_on if self.courses else None

    def dose_words(self, course: CourseFacts) -> str:
        return vocab.dose_words(course.dose_amount, course.dose_unit, self.schedule, course.times_per_day)

    def course_on(self, day: dt.date) -> CourseFacts | None:
        return next((c for c in self.courses if spans.covers(c, day)), None)

    def ran_within(self, first: dt.date, last: dt.date) -> bool:
        """Whether a course of it covers any day of first…last."""
        return any(spans.ran_within(c, first, last) for c in self.courses)


@dataclass(frozen=True)
class DoseFacts:
    id: str
    treatment_id: str
    taken_at: dt.datetime  # aware, in the patient's zone
    status: str
    amount: Decimal | None
    episode_id: str | None
    effect: str

    @property
    def day(self) -> dt.date:
        return self.taken_at.date()


def treatment_facts(treatment: Treatment) -> TreatmentFacts:
    """One treatment's facts (prefetch `courses` when reading many)."""
    return TreatmentFacts(
        id=str(treatment.id),
        name=treatment.name,
        kind=treatment.kind,
        ingredient=treatment.ingredient,
        schedule=treatment.schedule,
        courses=tuple(CourseFacts.of(c) for c in sorted(treatment.courses.all(), key=lambda c: c.started_on)),
    )


def load_treatments(patient: User) -> list[TreatmentFacts]:
    """The patient's treatments with their courses, by name, in two queries."""
    treatments = Treatment.objects.filter(patient=patient).prefetch_related("courses").order_by("name", "id")
    return [treatment_facts(t) for t in treatments]


def load_doses(
    patient: User,
    zone: dt.tzinfo,
    first: dt.date | None,
    last: dt.date,
    status: str | None = None,
    treatment_ids: Collection[str] | None = None,
) -> list[DoseFacts]:
    """The patient's doses on local dates first…last (first=None: from the start), of a status and of some
    treatments if given, oldest first, in one query."""
    start, end = day_range(first or last, last, zone)
    doses = Dose.objects.filter(treatment__patient=patient, taken_at__lt=end)
    if first is not None:
        doses = doses.filter(taken_at__gte=start)
    if status is not None:
        doses = doses.filter(status=status)
    if treatment_ids is not None:
        doses = doses.filter(treatment_id__in=list(treatment_ids))
    rows = doses.order_by("taken_at", "id").values_list(
        "id", "treatment_id", "taken_at", "status", "amount", "episode_id", "effect"
    )
    return [
        DoseFacts(
            id=str(dose_id),
            treatment_id=str(treatment_id),
            taken_at=taken_at.astimezone(zone),
            status=status_,
            amount=amount,
            episode_id=str(episode_id) if episode_id else None,
            effect=effect,
        )
        for dose_id, treatment_id, taken_at, status_, amount, episode_id, effect in rows
    ]
