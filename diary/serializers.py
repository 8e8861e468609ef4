"""Validation and representation of episodes, check-ins and profiles, shared by the API and the import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rest_framework import serializers

from diary import vocab
from diary.models import (
    MAX_DURATION_MINUTES,
    MAX_NOTES,
    CheckIn,
    Episode,
    Profile,
    validate_started_at,
    validate_timezone,
)


def utc_timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def episode_record(episode: Episode) -> dict[str, Any]:
    """An episode in the interchange format (DESIGN §6); the API returns the same shape."""
    return {
        "id": str(episode.id),
        "started_at": utc_timestamp(episode.started_at),
        "duration_minutes": episode.duration_minutes,
        "ongoing": episode.ongoing,
        "severity": episode.severity,
        "locations": [
            {"side": side, "region": region}
            for side, region in sorted(
                ((loc.side, loc.region) for loc in episode.locations.all()),
                key=lambda pair: vocab.location_key(*pair),
            )
        ],
        "sensations": list(episode.sensations),
        "triggers": list(episode.triggers),
        "symptoms": list(episode.symptoms),
        "relieved_by": list(episode.relieved_by),
        "notes": episode.notes,
    }


def code_list(vocabulary: dict[str, vocab.Term]) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=vocab.choices(vocabulary)), required=False, default=list
    )


class LocationSerializer(serializers.Serializer[Any]):
    side = serializers.ChoiceField(choices=vocab.choices(vocab.SIDES))
    region = serializers.ChoiceField(choices=vocab.choices(vocab.REGIONS))


class EpisodeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(required=False)
    started_at = serializers.DateTimeField(validators=[validate_started_at])
    duration_minutes = serializers.IntegerField(
        min_value=0, max_value=MAX_DURATION_MINUTES, allow_null=True, required=False, default=None
    )
    ongoing = serializers.BooleanField(required=False, default=False)
    severity = serializers.IntegerField(min_value=vocab.SEVERITY_MIN, max_value=vocab.SEVERITY_MAX)
    locations = LocationSerializer(many=True, allow_empty=False)
    sensations = code_list(vocab.SENSATIONS)
    triggers = code_list(vocab.TRIGGERS)
    symptoms = code_list(vocab.SYMPTOMS)
    relieved_by = code_list(vocab.RELIEF)
    notes = serializers.CharField(max_length=MAX_NOTES, allow_blank=True, required=False, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("ongoing") and data.get("duration_minutes") is not None:
            raise serializers.ValidationError({"duration_minutes": "Leave the duration empty while it is still going."})
        if not data.get("ongoing") and data.get("duration_minutes") is None:
            raise serializers.ValidationError(
                {"duration_minutes": "Give the duration in minutes, or set ongoing if it is still going."}
            )
        return data

    def to_representation(self, instance: Episode) -> dict[str, Any]:
        return episode_record(instance) | {
            "created_at": utc_timestamp(instance.created_at),
            "updated_at": utc_timestamp(instance.updated_at),
        }

    @staticmethod
    def service_arguments(data: dict[str, Any]) -> dict[str, Any]:
        """The validated data as keyword arguments of `services.save_episode`."""
        return {
            "started_at": data["started_at"],
            "duration_minutes": None if data["ongoing"] else data["duration_minutes"],
            "severity": data["severity"],
            "locations": [(loc["side"], loc["region"]) for loc in data["locations"]],
            "sensations": data["sensations"],
            "triggers": data["triggers"],
            "symptoms": data["symptoms"],
            "relieved_by": data["relieved_by"],
            "notes": data["notes"],
        }


class CheckInSerializer(serializers.ModelSerializer[Any]):
    class Meta:
        model = CheckIn
        fields = ["date", "numbness_today"]


class ProfileSerializer(serializers.ModelSerializer[Any]):
    timezone = serializers.CharField(max_length=64, validators=[validate_timezone])
    conditions = code_list(vocab.CONDITIONS)

    class Meta:
        model = Profile
        fields = ["timezone", "conditions", "emergency_number", "reminder_time", "date_of_birth"]

    def validate_conditions(self, value: list[str]) -> list[str]:
        return vocab.canonical(vocab.CONDITIONS, value)
