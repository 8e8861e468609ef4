"""What treatments adds to Today: one tap for each treatment taken when needed, and "did it help?" once.

A use is asked about once, the first time Today is opened at least `ASK_AFTER` after it was taken (and no later
than `ASK_WITHIN`): the question is marked as asked when it is shown. The treatment's page rates any use, any time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Max
from django.utils import timezone

from diary.vocab import Term
from treatments import vocab
from treatments.models import Course, Dose, Treatment

ASK_AFTER = dt.timedelta(hours=1)  # long enough for a medicine taken when needed to have worked, or not
ASK_WITHIN = dt.timedelta(days=3)  # older uses are not asked about on Today
UNDO_FOR = dt.timedelta(minutes=15)  # a tap made by mistake can be taken back from Today for this long
ASKED_AT_ONCE = 3


@dataclass(frozen=True)
class OneTap:
    treatment_id: str
    name: str
    dose: str  # the current dose in words
    new_id: uuid.UUID  # the dose id of this page's tap (the page's script makes one per tap)
    last: dt.datetime | None  # when it was last taken


@dataclass(frozen=True)
class TodayCard:
    has_treatments: bool
    taps: list[OneTap]
    to_ask: list[Dose]  # uses to ask "did it help?" about, with their treatment
    undoable: list[Dose]  # uses tapped in the last few minutes, which Today offers to take back

    @property
    def effects(self) -> list[Term]:
        return list(vocab.EFFECTS.values())


def one_taps(patient: User) -> list[OneTap]:
    """The treatments taken when needed that are being taken now, with their dose and last use: two queries."""
    courses = (
        Course.objects.filter(treatment__patient=patient, treatment__schedule=vocab.AS_NEEDED, stopped_on__isnull=True)
        .select_related("treatment")
        .order_by("treatment__name", "treatment_id")
    )
    found = list(courses)
    if not found:
        return []
    last = dict(
        Dose.objects.filter(treatment_id__in=[c.treatment_id for c in found], status=vocab.TAKEN)
        .values("treatment_id")
        .annotate(last=Max("taken_at"))
        .values_list("treatment_id", "last")
    )
    return [
        OneTap(str(c.treatment_id), c.treatment.name, c.dose_words, uuid.uuid4(), last.get(c.treatment_id))
        for c in found
    ]


def ask_about(patient: User, now: dt.datetime) -> list[Dose]:
    """The uses to ask about now, each marked as asked (so it is offered once); oldest first."""
    due = (
        Dose.objects.filter(
            treatment__patient=patient,
            status=vocab.TAKEN,
            effect="",
            effect_asked_at__isnull=True,
            taken_at__lte=now - ASK_AFTER,
            taken_at__gte=now - ASK_WITHIN,
        )
        .select_related("treatment")
        .order_by("taken_at")[:ASKED_AT_ONCE]
    )
    doses = [d for d in due if d.treatment.as_needed or d.episode_id is not None]
    marked = Dose.objects.filter(id__in=[d.id for d in doses], effect_asked_at__isnull=True).update(effect_asked_at=now)
    return doses if marked else []


def today_card(patient: User) -> TodayCard:
    """Today's treatments card, in four small queries (five for a patient without a treatment taken when needed)."""
    now = timezone.now()
    taps = one_taps(patient)
    undoable = (
        list(
            Dose.objects.filter(
                treatment__patient=patient,
                status=vocab.TAKEN,
                created_at__gte=now - UNDO_FOR,
                taken_at__gte=now - UNDO_FOR,
            ).select_related("treatment")
        )
        if taps
        else []
    )
    to_ask = ask_about(patient, now)
    has_treatments = bool(taps or to_ask) or Treatment.objects.filter(patient=patient).exists()
    return TodayCard(has_treatments, taps, to_ask, undoable)
