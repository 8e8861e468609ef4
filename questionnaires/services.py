"""Writes of questionnaire responses: the answer page, the API and the import all call these functions."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.clock import Clock, local_date
from diary.models import CLOCK_SKEW, EARLIEST_DAY, EARLIEST_START
from diary.services import clock_of, profile_of
from diary.today import diary_start
from questionnaires.instruments import Instrument, answer_problems, in_item_order
from questionnaires.models import OfferDeclined, QuestionnaireResponse
from web.http import NotYours

NO_SUCH_RESPONSE = "No such questionnaire response."  # for another patient's too: the two answers never differ


@dataclass(frozen=True)
class SavedResponse:
    response: QuestionnaireResponse
    created: bool


def validate_completed_at(completed_at: dt.datetime, *, patient: User, clock: Clock, live: bool) -> None:
    """Not in the future (a phone's clock may be a few minutes ahead), not before 2000 nor the date of birth, in the
    patient's local dates; and, for an answer given now (`live`: the answer page and the API), not before the diary
    began (sign-up, or an earlier imported entry). An import keeps answers from before this account."""
    if completed_at > timezone.now() + CLOCK_SKEW:
        raise ValidationError({"completed_at": "The completion time can't be in the future."})
    too_early = ValidationError({"completed_at": f"The completion time can't be before {EARLIEST_DAY:%-d %B %Y}."})
    if completed_at < EARLIEST_START:  # before 2000 in every zone: checked first, as year 1 has no local date here
        raise too_early
    day = local_date(completed_at, clock.zone)
    birth = profile_of(patient).date_of_birth
    if day < EARLIEST_DAY:
        raise too_early
    if birth is not None and day < birth:
        raise ValidationError(
            {"completed_at": f"The completion time can't be before your date of birth ({birth:%-d %B %Y})."}
        )
    if live:
        began = diary_start(patient, clock.zone, clock.today())
        if day < began:
            raise ValidationError(
                {"completed_at": f"The completion time can't be before your diary began ({began:%-d %B %Y})."}
            )


@transaction.atomic
def save_response(
    *,
    patient: User,
    response_id: uuid.UUID | None,
    instrument: Instrument,
    completed_at: dt.datetime,
    answers: Mapping[str, object],
    live: bool = True,
) -> SavedResponse:
    """Create or replace one response by its id (idempotent): a double tap, a retry and the offline queue's replay
    all leave one. The score is computed here from the answers. Another patient's id raises `NotYours`."""
    problems = answer_problems(instrument, answers)
    if problems:
        raise ValidationError(
            {"answers": [f"{key}: {message}" if key else message for key, message in problems.items()]}
        )
    validate_completed_at(completed_at, patient=patient, clock=clock_of(patient), live=live)
    values = {
        "questionnaire": instrument.id,
        "version": instrument.version,
        "completed_at": completed_at.replace(microsecond=0),
        "answers": in_item_order(instrument, answers),
        "score": instrument.score(answers),
    }
    response_id = response_id or uuid.uuid4()
    response = QuestionnaireResponse.objects.select_for_update().filter(id=response_id).first()
    if response is None:
        try:
            with transaction.atomic():
                response = QuestionnaireResponse.objects.create(id=response_id, patient=patient, **values)
            return SavedResponse(response, created=True)
        except IntegrityError:
            # A concurrent save of the same id inserted it between our read and our insert: replace it.
            response = QuestionnaireResponse.objects.select_for_update().get(id=response_id)
    if response.patient_id != patient.pk:
        raise NotYours(NO_SUCH_RESPONSE)
    for name, value in values.items():
        setattr(response, name, value)
    response.save()
    return SavedResponse(response, created=False)


@transaction.atomic
def delete_response(*, patient: User, response_id: uuid.UUID) -> bool:
    deleted, _ = QuestionnaireResponse.objects.filter(patient=patient, id=response_id).delete()
    return bool(deleted)


def decline_offer(*, patient: User, instrument: Instrument, on: dt.date) -> None:
    """ "Not now": the offer on Today stays away for the instrument's interval from this local date."""
    OfferDeclined.objects.update_or_create(patient=patient, questionnaire=instrument.id, defaults={"declined_on": on})
