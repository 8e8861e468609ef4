"""What the pages, the API and the report show of a patient's treatments, loaded in a fixed number of queries
and computed by the pure modules (`comparison`, `timeline`): one function, so that every page says the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import User

from diary.facts import load_checkins, load_facts
from diary.services import clock_of
from treatments import comparison, timeline
from treatments.comparison import BEFORE_DAYS, Comparison, Diary, Uses
from treatments.facts import DoseFacts, TreatmentFacts, load_doses, load_treatments


@dataclass(frozen=True)
class Summary:
    """One treatment: its comparisons (taken every day) or the summary of its uses in a period (taken as needed)."""

    treatment: TreatmentFacts
    comparisons: list[Comparison]
    uses: Uses | None


def diary_between(patient: User, zone: dt.tzinfo, first: dt.date, last: dt.date) -> Diary:
    """The entries the comparison reads, for local dates first…last: two queries."""
    return Diary.of(load_facts(patient, zone, first, last), load_checkins(patient, first, last).keys())


def summaries(
    patient: User,
    today: dt.date,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    only: Collection[str] | None = None,
    treatments: list[TreatmentFacts] | None = None,
    doses: list[DoseFacts] | None = None,
) -> list[Summary]:
    """Each treatment (those with ids in `only`, if given) with its comparisons as of `today`, and its uses on the
    local dates first…last (default: all of them up to today). Every other treatment's changes are read, so that
    a comparison names them."""
    treatments = load_treatments(patient) if treatments is None else treatments
    wanted = [t for t in treatments if only is None or t.id in only]
    zone = clock_of(patient).zone
    starts = [c.started_on for t in wanted if not t.as_needed for c in t.courses if c.started_on <= today]
    diary = (
        diary_between(patient, zone, min(starts) - dt.timedelta(days=BEFORE_DAYS), today)
        if starts
        else Diary(frozenset(), {})
    )
    doses = load_doses(patient, zone, None, today) if doses is None else doses
    changes = timeline.changes(treatments)
    in_period = [d for d in doses if (first is None or d.day >= first) and (last is None or d.day <= last)]
    return [
        Summary(
            treatment=t,
            comparisons=comparison.compare_treatment(t, today=today, diary=diary, changes=changes, doses=doses),
            uses=comparison.uses(t, in_period) if t.as_needed else None,
        )
        for t in wanted
    ]


def summary_of(patient: User, treatment_id: str, today: dt.date) -> Summary:
    (found,) = summaries(patient, today, only={treatment_id})
    return found
