"""Questionnaire responses in the patient's interchange document (DESIGN §6, §9): "questionnaire_responses", a
`hooks.Section` registered by the app. The score is not in the file: the import computes it from the answers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from diary import hooks
from diary.interchange import InterchangeError, record_errors
from diary.serializers import StrictUUIDField
from questionnaires import services
from questionnaires.models import QuestionnaireResponse
from questionnaires.serializers import QuestionnaireResponseSerializer, response_record

KEY = "questionnaire_responses"


class ImportedResponseSerializer(QuestionnaireResponseSerializer):
    """A response of a file: its id is required, so that importing the file again replaces, not duplicates."""

    id = StrictUUIDField()


def export(patient: User) -> dict[str, list[dict[str, Any]]]:
    responses = patient.questionnaire_responses.order_by("completed_at", "id")
    return {KEY: [response_record(response) for response in responses]}


def validate(records: Mapping[str, Sequence[Any]], context: hooks.ImportContext) -> tuple[list[str], Any]:
    problems: list[str] = []
    valid = []
    serializer_context = {"clock": context.clock, "patient": context.patient, "live": False}
    for index, record in enumerate(records[KEY]):
        where = f"{KEY}[{index}]" + (f" (id {record['id']})" if isinstance(record, dict) and record.get("id") else "")
        serializer = ImportedResponseSerializer(data=record, context=serializer_context)
        if serializer.is_valid():
            valid.append(serializer.validated_data)
        else:
            problems += record_errors(where, serializer.errors)
    ids = Counter(data["id"] for data in valid)
    problems += [f"{KEY}: id {i} appears {n} times." for i, n in ids.items() if n > 1]
    taken = QuestionnaireResponse.objects.filter(id__in=ids).exclude(patient=context.patient)
    problems += [
        f"{KEY} (id {i}): id: this id belongs to another account's response."
        for i in taken.values_list("id", flat=True)
    ]
    return problems, valid


def write(patient: User, valid: list[dict[str, Any]]) -> None:
    for index, data in enumerate(valid):
        try:
            services.save_response(
                patient=patient,
                response_id=data["id"],
                instrument=data["instrument"],
                completed_at=data["completed_at"],
                answers=data["answers"],
                live=False,
            )
        except ValidationError as e:  # e.g. against a date of birth that the file's profile brought
            raise InterchangeError(record_errors(f"{KEY}[{index}] (id {data['id']})", e.message_dict)) from e


SECTION = hooks.Section(keys=(KEY,), export=export, validate=validate, write=write)
