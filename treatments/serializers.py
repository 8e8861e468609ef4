"""Validation and the JSON shape of treatments, courses and doses, shared by the API and the import (DESIGN §8)."""

from __future__ import annotations

from dataclasses import fields
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diary.clock import Clock, row_times, utc_timestamp
from diary.models import MAX_NOTES
from diary.serializers import LocalDateTimeField, StrictCharField, StrictIntegerField, StrictUUIDField
from diary.vocab import choices
from treatments import services, vocab
from treatments.facts import CourseFacts
from treatments.models import (
    AMOUNT_DIGITS,
    AMOUNT_PLACES,
    MAX_NAME,
    TOO_PRECISE,
    Course,
    Dose,
    Treatment,
    validate_amount,
    validate_taken_at,
)


def amount_json(value: Decimal | None) -> int | float | None:
    """A dose amount as a JSON number: 75, 0.5 (at most four decimal places, so a float keeps it exactly)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def course_record(course: Course) -> dict[str, Any]:
    return {
        "started_on": course.started_on.isoformat(),
        "stopped_on": course.stopped_on.isoformat() if course.stopped_on else None,
        "dose_amount": amount_json(course.dose_amount),
        "dose_unit": course.dose_unit,
        "times_per_day": course.times_per_day,
        "stop_reason": course.stop_reason,
    }


def treatment_record(treatment: Treatment) -> dict[str, Any]:
    """A treatment in the interchange format; the API returns the same shape (prefetch `courses` for many)."""
    return {
        "id": str(treatment.id),
        "name": treatment.name,
        "kind": treatment.kind,
        "ingredient": treatment.ingredient,
        "schedule": treatment.schedule,
        "notes": treatment.notes,
        "courses": [course_record(c) for c in sorted(treatment.courses.all(), key=lambda c: c.started_on)],
    }


def dose_record(dose: Dose) -> dict[str, Any]:
    """A dose in the interchange format; the API returns the same shape."""
    return {
        "id": str(dose.id),
        "treatment_id": str(dose.treatment_id),
        "taken_at": utc_timestamp(dose.taken_at),
        "status": dose.status,
        "amount": amount_json(dose.amount),
        "episode_id": str(dose.episode_id) if dose.episode_id else None,
        "effect": dose.effect,
    }


@extend_schema_field({"type": "number", "nullable": True, "minimum": 0, "exclusiveMinimum": True, "maximum": 100000})
class AmountField(serializers.DecimalField):
    """A dose as a JSON number above 0, at most four decimal places (a string or a boolean is refused). Its range is
    checked before DRF counts its digits, so 1e9 is "more than 100,000" as on the form, not "no more than 8 digits
    before the decimal point"."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=AMOUNT_DIGITS,
            decimal_places=AMOUNT_PLACES,
            allow_null=True,
            required=False,
            default=None,
            error_messages={"max_digits": TOO_PRECISE, "max_decimal_places": TOO_PRECISE},
            **kwargs,
        )

    def to_internal_value(self, data: object) -> Decimal:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        number = Decimal(repr(data))
        if number.is_finite():  # JSON has no NaN: a float that is not finite is DRF's to refuse
            try:
                validate_amount(number)
            except DjangoValidationError as e:
                raise serializers.ValidationError(e.messages) from e
        value: Decimal = super().to_internal_value(data)
        return value


class CourseSerializer(serializers.Serializer[Any]):
    started_on = serializers.DateField(help_text="the first local day at this dose")
    stopped_on = serializers.DateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="the first local day off this course (the day the next dose starts, or the day it stopped); null "
        "while it goes on. Courses of one treatment never overlap.",
    )
    dose_amount = AmountField(help_text="the dose at each time, in dose_unit; required for a medication or supplement")
    dose_unit = serializers.ChoiceField(choices=list(vocab.UNITS), allow_blank=True, required=False, default="")
    times_per_day = StrictIntegerField(
        min_value=1,
        max_value=vocab.MAX_TIMES_PER_DAY,
        allow_null=True,
        required=False,
        default=None,
        help_text="regular treatments only; null for one taken as needed",
    )
    stop_reason = serializers.ChoiceField(
        choices=choices(vocab.STOP_REASONS), allow_blank=True, required=False, default=""
    )

    @staticmethod
    def course_data(data: dict[str, Any]) -> CourseFacts:
        return CourseFacts(**{field.name: data[field.name] for field in fields(CourseFacts)})


class TreatmentSerializer(serializers.Serializer[Any]):
    """A treatment with all of its courses; context: `clock` (the patient's, for "today")."""

    id = StrictUUIDField(required=False)
    name = StrictCharField(max_length=MAX_NAME)
    kind = serializers.ChoiceField(choices=choices(vocab.KINDS))
    ingredient = serializers.ChoiceField(
        choices=list(vocab.SUGGESTIONS),
        allow_blank=True,
        required=False,
        default="",
        help_text="a code of the app's suggested treatments, or empty; it gives the RxNorm ingredient (rxcui)",
    )
    schedule = serializers.ChoiceField(choices=choices(vocab.SCHEDULES))
    notes = StrictCharField(max_length=MAX_NOTES, allow_blank=True, required=False, default="")
    courses = serializers.ListField(child=CourseSerializer(), min_length=1, max_length=500)
    rxcui = serializers.CharField(read_only=True, allow_null=True, help_text="RxNorm ingredient code, where verified")
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate_name(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError("Give the treatment a name.")
        return value

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        clock = self.context["clock"]
        assert isinstance(clock, Clock)
        courses = [CourseSerializer.course_data(c) for c in data["courses"]]
        _, problems = services.check_courses(courses, kind=data["kind"], schedule=data["schedule"], today=clock.today())
        if problems:
            raise serializers.ValidationError(problems)
        return data

    def to_representation(self, instance: Treatment) -> dict[str, Any]:
        suggestion = instance.suggestion
        rxcui = suggestion.rxcui or None if suggestion else None
        return treatment_record(instance) | {"rxcui": rxcui} | row_times(instance)

    @staticmethod
    def service_arguments(data: dict[str, Any]) -> dict[str, Any]:
        """The validated data as keyword arguments of `services.save_treatment`."""
        as_given = {name: data[name] for name in services.TREATMENT_FIELDS}
        return as_given | {"courses": [CourseSerializer.course_data(c) for c in data["courses"]]}


class DoseSerializer(serializers.Serializer[Any]):
    """A dose; context: `clock` (the patient's, to read a time without an offset)."""

    id = StrictUUIDField(required=False)
    treatment_id = StrictUUIDField()
    taken_at = LocalDateTimeField(
        label_text="The time",
        validators=[validate_taken_at],
        help_text="ISO 8601; without an offset it is read in the patient's time zone. For a missed dose, any time "
        "of the day it was missed.",
    )
    status = serializers.ChoiceField(choices=choices(vocab.STATUSES), required=False, default=vocab.TAKEN)
    amount = AmountField(help_text="null: the course's dose")
    episode_id = StrictUUIDField(
        allow_null=True, required=False, default=None, help_text='"I took it for this episode": one of the patient\'s'
    )
    effect = serializers.ChoiceField(
        choices=choices(vocab.EFFECTS),
        allow_blank=True,
        required=False,
        default="",
        help_text="how it worked, rated afterwards; only for a dose taken",
    )
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, instance: Dose) -> dict[str, Any]:
        return dose_record(instance) | row_times(instance)

    @staticmethod
    def service_arguments(data: dict[str, Any]) -> dict[str, Any]:
        """The validated data as keyword arguments of `services.save_dose`."""
        return {name: data[name] for name in ("treatment_id", "taken_at", "status", "amount", "episode_id", "effect")}
