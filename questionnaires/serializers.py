"""Validation and JSON of questionnaire responses (the API and the import), and of the instruments' definitions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diary.clock import Clock, utc_timestamp
from diary.serializers import CodeField, LocalDateTimeField
from questionnaires import fhir, services
from questionnaires.instruments import VERSIONS, Instrument, answer_problems, in_item_order, instrument
from questionnaires.models import QuestionnaireResponse

QUESTIONNAIRES = sorted({i.id for i in VERSIONS.values()})
KNOWN_VERSIONS = sorted({i.version for i in VERSIONS.values()})


def response_record(response: QuestionnaireResponse) -> dict[str, Any]:
    """A response in the interchange format (DESIGN §9): no score, which an import computes again."""
    answered = instrument(response.questionnaire, response.version)
    answers = in_item_order(answered, response.answers) if answered else dict(response.answers)
    return {
        "id": str(response.id),
        "questionnaire": response.questionnaire,
        "version": response.version,
        "completed_at": utc_timestamp(response.completed_at),
        "answers": answers,
    }


def _answers_schema() -> dict[str, Any]:
    """Every item any instrument has, as a boolean; required: the items every instrument has (all 15 of the MNSI's
    while it is the only one). Which instrument needs which, `GET /api/v1/questionnaires/` says."""
    items = {item.link_id: item for i in VERSIONS.values() for item in i.items}
    common = set.intersection(*(set(i.link_ids) for i in VERSIONS.values()))
    return {
        "type": "object",
        "description": "One answer per item of the questionnaire, by `link_id`: every item, and nothing else.",
        "properties": {key: {"type": "boolean", "description": item.text} for key, item in items.items()},
        "required": [key for key in items if key in common],
        "additionalProperties": False,
    }


@extend_schema_field(_answers_schema())
class AnswersField(serializers.Field[dict[str, Any], dict[str, Any], dict[str, Any], Any]):
    """A JSON object of answers; checked against its instrument by the serializer, which knows which one it is."""

    default_error_messages = {"invalid": 'Expected an object of answers, one per item, such as {{"1": true}}.'}

    def to_internal_value(self, data: object) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.fail("invalid")
        return data

    def to_representation(self, value: dict[str, Any]) -> dict[str, Any]:
        return value


class QuestionnaireResponseSerializer(serializers.Serializer[Any]):
    """A response as the API and the import take it. Context: `patient`, `clock` (reads a time without an offset),
    and `live` (False for an import, whose answers may predate this account)."""

    id = serializers.UUIDField(read_only=True)
    questionnaire = serializers.ChoiceField(choices=QUESTIONNAIRES, help_text="the instrument's id")
    version = CodeField(choices=KNOWN_VERSIONS, help_text="the version of the instrument answered")
    completed_at = LocalDateTimeField(
        label_text="The completion time",
        help_text="ISO 8601; without an offset, read in the patient's time zone. Not in the future, and not before "
        "the diary began (sign-up or the earliest entry).",
    )
    answers = AnswersField()
    score = serializers.IntegerField(read_only=True, help_text="computed by the server from the answers")
    max_score = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        answered = instrument(data["questionnaire"], data["version"])
        if answered is None:
            versions = ", ".join(sorted(i.version for i in VERSIONS.values() if i.id == data["questionnaire"]))
            raise serializers.ValidationError(
                {"version": f"{data['questionnaire']} has no version {data['version']!r} (known: {versions})."}
            )
        problems = answer_problems(answered, data["answers"])
        if problems:
            raise serializers.ValidationError({"answers": {key: [message] for key, message in problems.items()}})
        clock, patient = self.context.get("clock"), self.context.get("patient")
        if not isinstance(clock, Clock) or patient is None:
            raise RuntimeError("Pass context={'clock': …, 'patient': …} to validate a response.")
        try:
            services.validate_completed_at(
                data["completed_at"], patient=patient, clock=clock, live=self.context.get("live", True)
            )
        except DjangoValidationError as e:
            raise serializers.ValidationError(e.message_dict) from None
        return data | {"instrument": answered}

    def to_representation(self, response: QuestionnaireResponse) -> dict[str, Any]:
        answered = instrument(response.questionnaire, response.version)
        return response_record(response) | {
            "score": response.score,
            "max_score": answered.max_score if answered else None,
            "created_at": utc_timestamp(response.created_at),
            "updated_at": utc_timestamp(response.updated_at),
        }


class SourceSerializer(serializers.Serializer[Any]):
    id = serializers.CharField()
    citation = serializers.CharField()
    url = serializers.URLField()


# Fields named `source` and `label` (the JSON's keys) shadow attributes of DRF's Field for mypy only: DRF's
# serializer metaclass takes declared fields out of the class.
class ItemSerializer(serializers.Serializer[Any]):
    link_id = serializers.CharField()
    text = serializers.CharField(help_text="the published wording, unchanged")
    answer_type = serializers.CharField()
    source = SourceSerializer(help_text="where the wording was taken from")  # type: ignore[assignment]
    scored = serializers.SerializerMethodField(help_text="whether the item counts towards the score")

    def get_scored(self, item: Any) -> bool:
        return item.scores_on is not None


class ThresholdSerializer(serializers.Serializer[Any]):
    at_least = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    source = SourceSerializer()  # type: ignore[assignment]


class InstrumentSerializer(serializers.Serializer[Any]):
    """An instrument's definition: what the answer page asks, how it scores, and what the score may be used for."""

    id = serializers.CharField()
    version = serializers.CharField()
    current = serializers.SerializerMethodField(help_text="the version offered to patients now")
    canonical = serializers.SerializerMethodField(help_text="the FHIR Questionnaire's canonical URL")
    title = serializers.CharField()
    instructions = serializers.CharField()
    items = ItemSerializer(many=True)
    max_score = serializers.IntegerField()
    scoring_source = SourceSerializer()
    thresholds = ThresholdSerializer(many=True)
    citations = SourceSerializer(many=True)
    terms_of_use = serializers.CharField()
    terms_source = SourceSerializer()
    validated_for = serializers.CharField()
    scope = serializers.CharField()

    def get_current(self, definition: Instrument) -> bool:
        return instrument(definition.id) is definition

    def get_canonical(self, definition: Instrument) -> str:
        return fhir.canonical(definition)
