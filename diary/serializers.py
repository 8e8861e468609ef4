"""Validation and representation of episodes, check-ins and profiles, shared by the API and the import."""

from __future__ import annotations

import datetime as dt
import threading
import uuid
import zoneinfo
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diary import vocab
from diary.clock import Clock, LocalTimeError, row_times, utc_timestamp
from diary.models import (
    MAX_DISPLAY_NAME,
    MAX_DURATION_MINUTES,
    MAX_NOTES,
    CheckIn,
    Episode,
    Profile,
    validate_start_for_patient,
    validate_started_at,
    validate_timezone,
)


def episode_record(episode: Episode) -> dict[str, Any]:
    """An episode in the interchange format (DESIGN §6); the API returns the same shape."""
    return {
        "id": str(episode.id),
        "started_at": utc_timestamp(episode.started_at),
        "duration_minutes": episode.duration_minutes,
        "ongoing": episode.ongoing,
        "duration_unknown": episode.duration_unknown,
        "severity": episode.severity,
        "locations": [{"side": place.side, "region": place.region} for place in episode.places],
        "sensations": list(episode.sensations),
        "triggers": list(episode.triggers),
        "symptoms": list(episode.symptoms),
        "relieved_by": list(episode.relieved_by),
        "alarm_answered": episode.alarm_answered,
        "notes": episode.notes,
    }


class CodeField(serializers.ChoiceField):
    """A code of a vocabulary, as a JSON string. DRF copies every field of a serializer for each instance it makes,
    deep-copying the arguments; a vocabulary's choices are constants, so a copy of this field shares them (a fifth
    of the cost of validating a saved episode went to copying them)."""

    def __deepcopy__(self, memo: Mapping[Any, Any]) -> CodeField:
        return self.__class__(*self._args, **self._kwargs)  # type: ignore[attr-defined]

    def to_internal_value(self, data: object) -> Any:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


def code_list(vocabulary: dict[str, vocab.Term]) -> serializers.ListField:
    return serializers.ListField(child=CodeField(choices=vocab.choices(vocabulary)), required=False, default=list)


class StrictCharField(serializers.CharField):
    """Text that must arrive as a JSON string: a number or a boolean is refused, not turned into text."""

    def to_internal_value(self, data: object) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """true or false as JSON booleans: 0, 1, "yes" and "true" are refused rather than guessed at."""

    def to_internal_value(self, data: object) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictIntegerField(serializers.IntegerField):
    """A whole number as a JSON integer: "4", 4.0 and true are refused rather than turned into 4 (or 1)."""

    def to_internal_value(self, data: object) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictUUIDField(serializers.UUIDField):
    """A UUID as a JSON string: a number (or false, which is 0) is not turned into an id."""

    def to_internal_value(self, data: object) -> uuid.UUID:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class LocationSerializer(serializers.Serializer[Any]):
    side = CodeField(choices=vocab.choices(vocab.SIDES))
    region = CodeField(choices=vocab.choices(vocab.REGIONS))


class LocalDateTimeField(serializers.DateTimeField):
    """A time with an offset is that instant; one without is read on the clock in the serializer's context."""

    def __init__(self, *, label_text: str, **kwargs: Any) -> None:
        self.label_text = label_text
        super().__init__(**kwargs)

    def enforce_timezone(self, value: dt.datetime) -> dt.datetime:
        clock = self.context.get("clock")
        if not isinstance(clock, Clock):
            raise RuntimeError("This serializer reads times without an offset on a Clock: pass context={'clock': …}.")
        try:
            return clock.aware(value, self.label_text)
        except LocalTimeError as e:
            raise serializers.ValidationError(str(e)) from None


class EpisodeSerializer(serializers.Serializer[Any]):
    """An episode as the API and the import take it; context: `clock` (the patient's), `date_of_birth`, and
    `as_recorded` for an import (values kept exactly as the file has them)."""

    id = StrictUUIDField(required=False)
    started_at = LocalDateTimeField(
        label_text="The start time",
        validators=[validate_started_at],
        help_text="ISO 8601. With an offset (or Z) it is that instant; without one it is read in the "
        "patient's time zone (the file's profile time zone for an import). A local time skipped or "
        "repeated by a daylight-saving change is refused with both possible readings.",
    )
    duration_minutes = StrictIntegerField(
        min_value=0, max_value=MAX_DURATION_MINUTES, allow_null=True, required=False, default=None
    )
    ongoing = StrictBooleanField(required=False, default=False)
    duration_unknown = StrictBooleanField(
        required=False,
        default=False,
        help_text="over, and the patient doesn't know how long it lasted: no duration_minutes then, and not ongoing",
    )
    severity = StrictIntegerField(min_value=vocab.SEVERITY_MIN, max_value=vocab.SEVERITY_MAX)
    locations = serializers.ListField(child=LocationSerializer(), allow_empty=False, min_length=1)
    sensations = code_list(vocab.SENSATIONS)
    triggers = code_list(vocab.TRIGGERS)
    symptoms = code_list(vocab.SYMPTOMS)
    relieved_by = code_list(vocab.RELIEF)
    alarm_answered = StrictBooleanField(
        required=False,
        default=False,
        help_text="the patient answered the alarm questions: ticked one (then it is true whatever is sent), or "
        "chose none of these",
    )
    notes = StrictCharField(max_length=MAX_NOTES, allow_blank=True, required=False, default="")
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        clock = self.context.get("clock")
        if isinstance(clock, Clock):
            try:
                validate_start_for_patient(
                    data["started_at"], zone=clock.zone, date_of_birth=self.context.get("date_of_birth")
                )
            except DjangoValidationError as e:
                raise serializers.ValidationError(e.message_dict) from None
        if data.get("ongoing") and data.get("duration_minutes") is not None:
            raise serializers.ValidationError({"duration_minutes": "Leave the duration empty while it is still going."})
        if data.get("duration_unknown") and (data.get("ongoing") or data.get("duration_minutes") is not None):
            raise serializers.ValidationError(
                {"duration_unknown": "A duration that is not known has no minutes and is not still going."}
            )
        # Ticking an alarm question answers them; "none of these" is sent as alarm_answered: true. A file is kept
        # as recorded (an episode imported from numbness-diary/1 stays unanswered, whatever it ticked).
        if not self.context.get("as_recorded"):
            ticked = vocab.ALARM_SYMPTOMS.intersection(data.get("symptoms", []))
            data["alarm_answered"] = data.get("alarm_answered", False) or bool(ticked)
        if not data.get("ongoing") and not data.get("duration_unknown") and data.get("duration_minutes") is None:
            raise serializers.ValidationError(
                {
                    "duration_minutes": "Give the duration in minutes, set ongoing if it is still going, or "
                    "duration_unknown if it is not known."
                }
            )
        return data

    def to_representation(self, instance: Episode) -> dict[str, Any]:
        return episode_record(instance) | row_times(instance)

    # Validated fields that `services.save_episode` takes as they are.
    SAVED_AS_GIVEN = ("started_at", "duration_unknown", "severity", "notes", "alarm_answered", *vocab.CODE_SETS)

    @classmethod
    def service_arguments(cls, data: dict[str, Any]) -> dict[str, Any]:
        """The validated data as keyword arguments of `services.save_episode`."""
        return {name: data[name] for name in cls.SAVED_AS_GIVEN} | {
            "duration_minutes": None if data["ongoing"] else data["duration_minutes"],
            "locations": [(loc["side"], loc["region"]) for loc in data["locations"]],
        }


_per_thread = threading.local()


def validate_episode(data: Any, context: dict[str, Any]) -> dict[str, Any]:
    """`EpisodeSerializer(data=data, context=context)`'s `is_valid(raise_exception=True)`, returning its
    `validated_data`: the same checks and the same errors, on a serializer that this thread made once.

    DRF gives every new serializer a deep copy of each declared field (29 fields made anew here), which was a fifth
    of the CPU of a save through the API. Validating keeps nothing on the fields; only the context is the call's.
    """
    serializer: EpisodeSerializer | None = getattr(_per_thread, "episode", None)
    if serializer is None:
        serializer = _per_thread.episode = EpisodeSerializer(context={})
    serializer._context = context
    try:
        validated: dict[str, Any] = serializer.run_validation(data)
    except serializers.ValidationError as exc:
        serializer._errors = exc.detail  # type: ignore[attr-defined]  # DRF's, which `errors` reads
        raise serializers.ValidationError(serializer.errors) from None  # worded as is_valid words it
    finally:
        serializer._context = {}
        serializer.__dict__.pop("_errors", None)  # the last refusal's details (values sent) are not kept
    return validated


class CheckInAnswerSerializer(serializers.Serializer[Any]):
    """The body of PUT checkins/{date}/: the date is in the path."""

    numbness_today = StrictBooleanField()


class CheckInSerializer(serializers.ModelSerializer[Any]):
    numbness_today = StrictBooleanField()

    class Meta:
        model = CheckIn
        fields = ["date", "numbness_today"]


@extend_schema_field({"type": "string", "enum": sorted(zoneinfo.available_timezones()), "example": "Europe/London"})
class TimeZoneField(StrictCharField):
    """An IANA time zone name; the schema lists every name this server knows."""


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
        "description": "local time of day in the patient's zone, HH:MM or HH:MM:SS (no offset)",
    }
)
class LocalTimeOfDayField(serializers.TimeField):
    """A wall-clock time of day, HH:MM or HH:MM:SS: an offset means nothing for a daily reminder."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(input_formats=["%H:%M", "%H:%M:%S"], format="%H:%M:%S", **kwargs)


class ProfileSerializer(serializers.ModelSerializer[Any]):
    timezone = TimeZoneField(max_length=64, validators=[validate_timezone])
    conditions = code_list(vocab.CONDITIONS)
    emergency_number = StrictCharField(
        max_length=15, required=False, validators=Profile._meta.get_field("emergency_number").validators
    )
    reminder_time = LocalTimeOfDayField(allow_null=True, required=False)
    display_name = StrictCharField(
        max_length=MAX_DISPLAY_NAME,
        allow_blank=True,
        required=False,
        help_text=Profile._meta.get_field("display_name").help_text,
    )

    class Meta:
        model = Profile
        fields = ["timezone", "conditions", "emergency_number", "reminder_time", "date_of_birth", "display_name"]

    def validate_conditions(self, value: list[str]) -> list[str]:
        return vocab.canonical(vocab.CONDITIONS, value)
