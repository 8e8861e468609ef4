"""Builders for the questionnaire tests: a set of MNSI answers, a response as the API takes it, a saved response."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import User

from questionnaires import services
from questionnaires.instruments import MNSI_HISTORY
from questionnaires.models import QuestionnaireResponse


def mnsi_answers(yes: Iterable[int] = ()) -> dict[str, bool]:
    """ "Yes" on the given item numbers, "no" on every other of the 15."""
    chosen = set(yes)
    return {str(n): n in chosen for n in range(1, 16)}


def response_json(yes: Iterable[int] = (), **overrides: Any) -> dict[str, Any]:
    return {
        "questionnaire": "mnsi-history",
        "version": "1.0",
        "completed_at": "2026-06-10T09:00:00Z",
        "answers": mnsi_answers(yes),
    } | overrides


def answer(patient: User, completed_at: dt.datetime, yes: Iterable[int] = ()) -> QuestionnaireResponse:
    """Save a response through the service every writer uses."""
    return services.save_response(
        patient=patient,
        response_id=uuid.uuid4(),
        instrument=MNSI_HISTORY,
        completed_at=completed_at,
        answers=mnsi_answers(yes),
        live=False,
    ).response
