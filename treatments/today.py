"""What treatments adds to Today: one tap for each treatment taken when needed, and "did it help?" once.

A use is asked about once, the first time Today is opened at least `ASK_AFTER` after it was taken (and no later
than `ASK_WITHIN`): the question is marked as asked when it is shown. The treatment's page rates any use, any time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from diary.vocab import Term
from treatments import vocab
from treatments.facts import TreatmentFacts, load_treatments
from treatments.models import Dose

ASK_AFTER = dt.timedelta(hours=1)  # long enough for a medicine taken when needed to have worked, or not
ASK_WITHIN = dt.timedelta(days=3)  # older uses are not asked about on Today
UNDO_FOR = dt.timedelta(minutes=15)  # a tap made by mistake can be taken back from Today for this long
ASKED_AT_ONCE = 3


@dataclass(frozen=True)
class OneTap:
    treatment: TreatmentFacts
    dose: str  # the current dose in words
    new_id: uuid.UUID  # the dose id of this page's tap (the page's script makes one per tap)
    last: Dose | None  # the latest use


@dataclass(frozen=True)
class Question:
    dose: Dose
    name: str


@dataclass(frozen=True)
class TodayCard:
    has_treatments: bool
    taps: list[OneTap]
    questions: list[Question]

    @property
    def effects(self) -> list[Term]:
        return list(vocab.EFFECTS.values())

    @property
    def undoable(self) -> list[Dose]:
        now = timezone.now()
        return [
            t.last
            for t in self.taps
            if t.last is not None and now - t.last.created_at < UNDO_FOR and now - t.last.taken_at < UNDO_FOR
        ]


def latest_uses(patient: User, treatment_ids: list[str]) -> dict[str, Dose]:
    """Each treatment's latest dose taken, in one query."""
    latest: dict[str, Dose] = {}
    doses = Dose.objects.filter(treatment__patient=patient, treatment_id__in=treatment_ids, status=vocab.TAKEN)
    recent = doses.filter(taken_at__gte=timezone.now() - dt.timedelta(days=30)).order_by("-taken_at")
    for dose in recent:
        latest.setdefault(str(dose.treatment_id), dose)
    return latest


def ask_about(patient: User, now: dt.datetime) -> list[Question]:
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
    return [Question(d, d.treatment.name) for d in doses] if marked else []


def today_card(patient: User) -> TodayCard:
    treatments = load_treatments(patient)
    current = [t for t in treatments if t.as_needed and t.current is not None]
    latest = latest_uses(patient, [t.id for t in current]) if current else {}
    taps = [OneTap(t, t.dose_words(t.current), uuid.uuid4(), latest.get(t.id)) for t in current if t.current]
    return TodayCard(bool(treatments), taps, ask_about(patient, timezone.now()) if treatments else [])
