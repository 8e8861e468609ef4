"""A patient's scores over time, per instrument: what Trends draws and the report summarises, from one query."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import User

from diary.clock import day_range, local_date
from questionnaires.instruments import INSTRUMENTS, Instrument, instrument
from questionnaires.models import QuestionnaireResponse


@dataclass(frozen=True)
class Score:
    id: uuid.UUID
    instrument: Instrument  # the version the patient answered
    completed_at: dt.datetime
    day: dt.date  # the patient's local date
    score: int

    @property
    def said(self) -> str:
        """'6 of 13'."""
        return f"{self.score} of {self.instrument.max_score}"


@dataclass(frozen=True)
class Trend:
    """One instrument's scores in a period of local dates, oldest first, and the latest one before the period."""

    instrument: Instrument
    first: dt.date
    last: dt.date
    scores: list[Score]
    before: Score | None

    @property
    def latest(self) -> Score | None:
        return self.scores[-1] if self.scores else None

    @property
    def earliest(self) -> Score | None:
        return self.scores[0] if self.scores else None

    @property
    def change(self) -> int | None:
        """The latest score less the first of the period; None with fewer than two scores."""
        if len(self.scores) < 2:
            return None
        return self.scores[-1].score - self.scores[0].score


def date_words(day: dt.date) -> str:
    """'3 May 2026': a date as the captions, the report and FHIR notes write it."""
    return f"{day.day} {day:%b %Y}"


def change_words(change: int) -> str:
    """+2, −1 or 'no change': how a change of score is written everywhere."""
    return "no change" if change == 0 else f"{change:+d}".replace("-", "−")


def _score(response: QuestionnaireResponse, zone: dt.tzinfo) -> Score | None:
    answered = instrument(response.questionnaire, response.version)
    if answered is None:  # an instrument this installation no longer defines: nothing honest to draw
        return None
    day = local_date(response.completed_at, zone)
    return Score(response.id, answered, response.completed_at, day, response.score)


def trends(patient: User, zone: dt.tzinfo, first: dt.date, last: dt.date) -> list[Trend]:
    """Every instrument's scores in first…last, with the latest before it, in one query whatever the period."""
    start, end = day_range(first, last, zone)
    rows = QuestionnaireResponse.objects.filter(patient=patient, completed_at__lt=end).order_by("completed_at", "id")
    found: dict[str, list[Score]] = {key: [] for key in INSTRUMENTS}
    before: dict[str, Score] = {}
    for response in rows.only("id", "questionnaire", "version", "completed_at", "score"):
        score = _score(response, zone)
        if score is None or response.questionnaire not in found:
            continue
        if response.completed_at < start:
            before[response.questionnaire] = score
        else:
            found[response.questionnaire].append(score)
    return [
        Trend(INSTRUMENTS[key], first, last, scores, before.get(key))
        for key, scores in found.items()
        if scores or key in before
    ]


def previous(response: QuestionnaireResponse) -> QuestionnaireResponse | None:
    """The same patient's response to the same questionnaire just before this one."""
    return (
        QuestionnaireResponse.objects.filter(
            patient_id=response.patient_id, questionnaire=response.questionnaire, completed_at__lt=response.completed_at
        )
        .order_by("-completed_at", "-id")
        .first()
    )
