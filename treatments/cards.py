"""What the treatments' slots on Trends and Log show: a card per treatment for a period, and the log form's choices."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User

from diary.clock import day_words
from diary.services import clock_of
from insights.periods import remembered
from treatments import services, vocab
from treatments.comparison import Comparison, Uses
from treatments.facts import TreatmentFacts, load_treatments
from treatments.models import Course, Dose
from treatments.overview import period_summaries, stamp


@dataclass(frozen=True)
class Card:
    treatment: TreatmentFacts
    status: str  # "75 mg twice a day since 3 Jan 2026", "stopped 5 Mar 2026"
    comparison: Comparison | None  # the latest course's in the period (taken every day)
    uses: Uses | None  # its uses in the period (taken when needed)


def status_words(t: TreatmentFacts) -> str:
    last = t.courses[-1]
    if t.current is not None:
        return f"{t.dose_words(last)} since {day_words(last.started_on)}"
    assert last.last_day is not None
    return f"stopped: last taken {day_words(last.last_day)} ({t.dose_words(last)})"


def trends_cards(
    patient: User, first: dt.date, last: dt.date, today: dt.date, diary_stamp: str | None = None
) -> list[Card]:
    """A card for each treatment taken at some time in first…last: the comparison of its latest course in the
    period (taken every day) or its uses in the period (taken when needed). Kept per state of the diary and day
    (`diary_stamp`: the diary's, when the caller has it)."""
    zone = clock_of(patient).zone
    kept_as = stamp(patient, zone, diary_stamp)
    if kept_as is None:
        return []  # no treatment: nothing to keep either
    place = f"treatment-cards:{patient.pk}:{zone}:{first}:{last}:{today}"
    return remembered(place, kept_as, lambda: _cards(patient, first, last, today))


def _cards(patient: User, first: dt.date, last: dt.date, today: dt.date) -> list[Card]:
    every = load_treatments(patient)
    treatments = [t for t in every if t.ran_within(first, last)]
    if not treatments:
        return []
    cards = []
    for summary in period_summaries(patient, first, last, today, {t.id for t in treatments}, every):
        in_period = [c for c in summary.comparisons if c.started_on <= last]
        cards.append(
            Card(summary.treatment, status_words(summary.treatment), in_period[-1] if in_period else None, summary.uses)
        )
    return cards


@dataclass(frozen=True)
class Choice:
    id: str
    name: str
    checked: bool


@dataclass(frozen=True)
class LogChoices:
    choices: list[Choice]


def log_choices(patient: User, episode_id: str | None, posted: list[str] | None) -> LogChoices:
    """The log form's "took something for it": the medicines and supplements being taken, and anything taken when
    needed (those first), ticked as posted (a form shown again), or as linked to the episode being edited. One
    query, two when editing."""
    open_courses = Course.objects.filter(treatment__patient=patient, stopped_on__isnull=True).select_related(
        "treatment"
    )
    treatments = [c.treatment for c in open_courses if c.treatment.as_needed or c.treatment.kind in vocab.DRUG_KINDS]
    if posted is not None:
        ticked = set(posted)
    elif episode_id:
        ids = {services.episode_dose_id(episode_id, t.id): str(t.id) for t in treatments}
        ticked = {ids[d] for d in Dose.objects.filter(id__in=ids).values_list("id", flat=True)}
    else:
        ticked = set()
    ordered = sorted(treatments, key=lambda t: (not t.as_needed, t.name.casefold()))
    return LogChoices([Choice(str(t.id), t.name, str(t.id) in ticked) for t in ordered])
