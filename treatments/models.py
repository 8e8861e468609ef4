"""What the patient takes or does for it (DESIGN §8): treatments, their courses at one dose, and doses.

A course runs from `started_on` up to, not including, `stopped_on`: a change of dose stops one course on the
day the next starts, so the courses of a treatment never overlap. Field validators live here and are shared by
the forms, the API and the import.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from diary.models import CLOCK_SKEW, EARLIEST_DAY, EARLIEST_START, MAX_NOTES, Episode
from diary.vocab import choices
from treatments import spans, vocab

MAX_NAME = 80
MAX_AMOUNT = Decimal("100000")
AMOUNT_DIGITS, AMOUNT_PLACES = 12, 4
# Said by the form and the API alike where a dose has more decimal places (or, once its range is checked, digits)
# than are kept: 1e-15 as much as 0.00001.
TOO_PRECISE = f"Give the dose with at most {AMOUNT_PLACES} decimal places."


def validate_name(value: str) -> None:
    if not value.strip():
        raise ValidationError("Give the treatment a name.")


def validate_amount(value: Decimal) -> None:
    if value <= 0:
        raise ValidationError("The dose must be more than 0.")
    if value > MAX_AMOUNT:
        raise ValidationError(f"The dose can't be more than {MAX_AMOUNT:,}.")


def validate_course_day(value: dt.date) -> None:
    if value < EARLIEST_DAY:
        raise ValidationError(f"The date can't be before {EARLIEST_DAY:%-d %B %Y}.")


def validate_taken_at(value: dt.datetime) -> None:
    if value < EARLIEST_START:
        raise ValidationError(f"The time can't be before {EARLIEST_DAY:%-d %B %Y}.")
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError("The time can't be in the future.")


class Treatment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="treatments")
    name = models.CharField(max_length=MAX_NAME, validators=[validate_name])
    kind = models.CharField(max_length=16, choices=choices(vocab.KINDS))
    ingredient = models.CharField(
        max_length=32,
        blank=True,
        default="",
        choices=[(s.code, s.name) for s in vocab.SUGGESTIONS.values()],
        help_text="a code of the app's suggestions (treatments/vocab.py), or empty",
    )
    schedule = models.CharField(max_length=16, choices=choices(vocab.SCHEDULES))
    notes = models.TextField(blank=True, default="", validators=[MaxLengthValidator(MAX_NOTES)])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["patient", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def as_needed(self) -> bool:
        return self.schedule == vocab.AS_NEEDED

    @property
    def suggestion(self) -> vocab.Suggestion | None:
        return vocab.SUGGESTIONS.get(self.ingredient)


class Course(models.Model):
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="courses")
    started_on = models.DateField(validators=[validate_course_day])
    stopped_on = models.DateField(
        null=True, blank=True, help_text="the first day off this course (or on the next dose); empty while it goes on"
    )
    dose_amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True, blank=True, validators=[validate_amount]
    )
    dose_unit = models.CharField(max_length=16, blank=True, default="", choices=[(u, u) for u in vocab.UNITS])
    times_per_day = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(vocab.MAX_TIMES_PER_DAY)]
    )
    stop_reason = models.CharField(max_length=16, blank=True, default="", choices=choices(vocab.STOP_REASONS))

    class Meta:
        ordering = ["started_on"]
        constraints = [
            models.UniqueConstraint(fields=["treatment", "started_on"], name="one_course_per_treatment_and_day"),
            models.UniqueConstraint(
                fields=["treatment"], condition=Q(stopped_on__isnull=True), name="one_open_course_per_treatment"
            ),
            models.CheckConstraint(
                condition=Q(stopped_on__isnull=True) | Q(stopped_on__gt=F("started_on")),
                name="course_stops_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(dose_amount__isnull=True) | Q(dose_amount__gt=0), name="course_dose_above_zero"
            ),
            models.CheckConstraint(
                condition=Q(times_per_day__isnull=True) | Q(times_per_day__gte=1, times_per_day__lte=6),
                name="course_times_per_day_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.treatment} from {self.started_on}"

    @property
    def dose_words(self) -> str:
        return vocab.dose_words(self.dose_amount, self.dose_unit, self.treatment.schedule, self.times_per_day)

    @property
    def last_day(self) -> dt.date | None:
        """The last day on this course, or None while it goes on."""
        return spans.last_day(self)


class Dose(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    treatment = models.ForeignKey(Treatment, on_delete=models.CASCADE, related_name="doses")
    taken_at = models.DateTimeField(validators=[validate_taken_at])
    status = models.CharField(max_length=8, choices=choices(vocab.STATUSES), default=vocab.TAKEN)
    amount = models.DecimalField(
        max_digits=AMOUNT_DIGITS, decimal_places=AMOUNT_PLACES, null=True, blank=True, validators=[validate_amount]
    )
    # "I took it for this episode"; the dose stays when the episode is deleted.
    episode = models.ForeignKey(Episode, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    effect = models.CharField(max_length=16, blank=True, default="", choices=choices(vocab.EFFECTS))
    # When Today asked how it worked (asked once: treatments/today.py).
    effect_asked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-taken_at", "id"]
        indexes = [models.Index(fields=["treatment", "taken_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(effect="") | Q(status=vocab.TAKEN), name="effect_only_on_a_taken_dose"),
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="dose_amount_above_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.treatment} {self.status} at {self.taken_at:%Y-%m-%d %H:%M}"
