"""What the pages, the API and the report show of a patient's treatments, loaded in a fixed number of queries
and computed by the pure modules (`comparison`, `timeline`): one function, so that every page says the same."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Count, Max

from diary.clock import day_range
from diary.coverage import diary_state
from diary.facts import load_checkins
from diary.models import Episode
from diary.services import clock_of
from insights.periods import remembered
from treatments import comparison, timeline, vocab
from treatments.comparison import BEFORE_DAYS, Comparison, Diary, Score, Uses
from treatments.facts import DoseFacts, TreatmentFacts, load_doses, load_treatments
from treatments.models import Dose, Treatment


@dataclass(frozen=True)
class Summary:
    """One treatment: its comparisons (taken every day) or the summary of its uses in a period (taken as needed)."""

    treatment: TreatmentFacts
    comparisons: list[Comparison]
    uses: Uses | None


def diary_between(patient: User, zone: dt.tzinfo, first: dt.date, last: dt.date) -> Diary:
    """The entries the comparison reads, for local dates first…last: each episode's day, severity and duration
    only (not `diary.facts.load_facts`, which reads places and codes too), and the days of the check-ins. Two
    queries."""
    start, end = day_range(first, last, zone)
    rows = Episode.objects.filter(patient=patient, started_at__gte=start, started_at__lt=end).values_list(
        "started_at", "severity", "duration_minutes"
    )
    scores = [Score(started.astimezone(zone).date(), severity, minutes) for started, severity, minutes in rows]
    return Diary.of(scores, load_checkins(patient, first, last).keys())


def summaries(
    patient: User,
    today: dt.date,
    *,
    first: dt.date | None = None,
    last: dt.date | None = None,
    only: Collection[str] | None = None,
    treatments: list[TreatmentFacts] | None = None,
    doses: list[DoseFacts] | None = None,
    past_period: bool = False,
) -> list[Summary]:
    """Each treatment (those with ids in `only`, if given) with its comparisons as of `today`, and its uses on the
    local dates first…last (default: all of them up to today). Every other treatment's changes are read, so that
    a comparison names them. `past_period`: `today` is the last day of a period that ended before today."""
    treatments = load_treatments(patient) if treatments is None else treatments
    wanted = [t for t in treatments if only is None or t.id in only]
    zone = clock_of(patient).zone
    starts = [c.started_on for t in wanted if not t.as_needed for c in t.courses if c.started_on <= today]
    diary = (
        diary_between(patient, zone, min(starts) - dt.timedelta(days=BEFORE_DAYS), today)
        if starts
        else Diary(frozenset(), {})
    )
    if doses is None:
        # What the summaries read: the missed days of those taken every day, the uses in the period of the others.
        regular, as_needed = [t.id for t in wanted if not t.as_needed], [t.id for t in wanted if t.as_needed]
        doses = load_doses(patient, zone, None, today, vocab.MISSED, regular) if regular else []
        doses += load_doses(patient, zone, first, last or today, vocab.TAKEN, as_needed) if as_needed else []
    changes = timeline.changes(treatments)
    in_period = [d for d in doses if (first is None or d.day >= first) and (last is None or d.day <= last)]
    return [
        Summary(
            treatment=t,
            comparisons=comparison.compare_treatment(
                t, today=today, diary=diary, changes=changes, doses=doses, past_period=past_period
            ),
            uses=comparison.uses(t, in_period) if t.as_needed else None,
        )
        for t in wanted
    ]


def period_summaries(
    patient: User,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    only: Collection[str],
    treatments: list[TreatmentFacts],
) -> list[Summary]:
    """`summaries` for a period (the report's, Trends'): each comparison as it stood on the period's last day, so that
    no day after the period is counted in it; the uses in the period."""
    as_of = min(last, today)
    return summaries(
        patient, as_of, first=first, last=last, only=only, treatments=treatments, past_period=as_of < today
    )


def stamp(patient: User, zone: dt.tzinfo, diary_stamp: str | None = None) -> str | None:
    """Changes whenever an entry, a treatment (with its courses) or a dose is added, changed or removed: what a
    summary is kept under (with the day it is for); None for a patient with no treatment. Two aggregate queries,
    and two more for the diary's stamp unless the caller has it (`DiaryState.stamp`)."""
    treatments = Treatment.objects.filter(patient=patient).aggregate(n=Count("pk"), changed=Max("updated_at"))
    if not treatments["n"]:
        return None
    doses = Dose.objects.filter(treatment__patient=patient).aggregate(n=Count("pk"), changed=Max("updated_at"))
    parts = (treatments["n"], treatments["changed"], doses["n"], doses["changed"])
    entries = diary_stamp if diary_stamp is not None else diary_state(patient, zone).stamp
    return f"{entries}:" + ".".join(str(part) for part in parts)


def summary_of(patient: User, treatment_id: str, today: dt.date) -> Summary:
    """One treatment's summary (its page, the comparison API), computed once per state of the diary and day."""
    zone = clock_of(patient).zone

    def compute() -> Summary:
        (found,) = summaries(patient, today, only={treatment_id})
        return found

    return remembered(
        f"treatment-summary:{patient.pk}:{zone}:{treatment_id}:{today}", f"{stamp(patient, zone)}", compute
    )
