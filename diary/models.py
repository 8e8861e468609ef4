"""The diary's rows: episodes with their locations, daily check-ins and the patient's profile."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from diary import vocab

MAX_DURATION_MINUTES = 24 * 60
MAX_NOTES = 2000
CLOCK_SKEW = dt.timedelta(minutes=5)
EARLIEST_START = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)


def validate_started_at(value: dt.datetime) -> None:
    if value < EARLIEST_START:
        raise ValidationError("The start time can't be before 1900.")
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError("The start time can't be in the future.")


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _zone_names():
        raise ValidationError(f"Unknown time zone {value!r}: use an IANA name such as Europe/London.")


def default_emergency_number(tz_name: str) -> str:
    """The usual emergency number for a time zone's region; 112 works across Europe and on most phones."""
    if tz_name.startswith(("America/", "US/", "Canada/", "Pacific/Honolulu")):
        return "911"
    if tz_name in ("Europe/London", "Europe/Dublin", "Europe/Belfast"):
        return "999"
    if tz_name.startswith("Australia/"):
        return "000"
    if tz_name in ("Asia/Tokyo", "Asia/Seoul", "Asia/Taipei"):
        return "119"
    if tz_name == "Pacific/Auckland":
        return "111"
    return "112"


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    conditions = models.JSONField(default=list, blank=True)
    emergency_number = models.CharField(
        max_length=15,
        default="112",
        validators=[RegexValidator(r"^[0-9]{2,15}$", "Use digits only, e.g. 112, 911 or 999.")],
    )
    reminder_time = models.TimeField(null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True, help_text="local date of the last reminder")
    date_of_birth = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def clean(self) -> None:
        try:
            self.conditions = vocab.canonical(vocab.CONDITIONS, self.conditions)
        except ValidationError as e:
            raise ValidationError({"conditions": e.messages}) from e


class Episode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes")
    started_at = models.DateTimeField(validators=[validate_started_at])
    duration_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_DURATION_MINUTES)]
    )
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(vocab.SEVERITY_MIN), MaxValueValidator(vocab.SEVERITY_MAX)]
    )
    sensations = models.JSONField(default=list, blank=True)
    triggers = models.JSONField(default=list, blank=True)
    symptoms = models.JSONField(default=list, blank=True)
    relieved_by = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, default="", validators=[MaxLengthValidator(MAX_NOTES)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [
            models.Index(fields=["patient", "started_at"]),
            # The nightly review's selection (triage.review.patients_due): recent and changed episodes.
            models.Index(fields=["started_at", "patient"], name="episode_started_patient"),
            models.Index(fields=["updated_at", "patient"], name="episode_updated_patient"),
        ]

    def __str__(self) -> str:
        return f"Episode {self.id} at {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def ongoing(self) -> bool:
        return self.duration_minutes is None

    def local_start(self, zone: dt.tzinfo) -> dt.datetime:
        return self.started_at.astimezone(zone)


class EpisodeLocation(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="locations")
    side = models.CharField(max_length=8, choices=vocab.choices(vocab.SIDES))
    region = models.CharField(max_length=16, choices=vocab.choices(vocab.REGIONS))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["episode", "side", "region"], name="one_row_per_episode_location")
        ]
        indexes = [models.Index(fields=["side", "region"])]

    def __str__(self) -> str:
        return f"{self.side} {self.region}"


class CheckIn(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    date = models.DateField()
    numbness_today = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [models.UniqueConstraint(fields=["patient", "date"], name="one_checkin_per_patient_day")]
        indexes = [models.Index(fields=["updated_at", "patient"], name="checkin_updated_patient")]

    def __str__(self) -> str:
        return f"Check-in {self.date}: {'numbness' if self.numbness_today else 'none'}"


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="diary.profile_with_account")
def create_profile(sender: type[models.Model], instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every account has its profile from the start, so reading it never writes."""
    if created and not raw:
        Profile.objects.create(user=instance)
