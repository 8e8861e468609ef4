"""The diary's rows: episodes with their locations, daily check-ins, the patient's profile and the API tokens of
their apps."""

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
from knox.models import AbstractAuthToken

from diary import vocab
from diary.clock import Clock, local_date

MAX_DURATION_MINUTES = 24 * 60
DURATION_TOO_LONG = f"An episode can last at most {MAX_DURATION_MINUTES // 60} hours ({MAX_DURATION_MINUTES} minutes)."
MAX_NOTES = 2000
MAX_DISPLAY_NAME = 80
MAX_APP_NAME = 100  # what an app calls itself when it asks for an API token
CLOCK_SKEW = dt.timedelta(minutes=5)
EARLIEST_DAY = dt.date(2000, 1, 1)
# Zones run from UTC-12 to UTC+14: the first instant that is 1 Jan 2000 anywhere, and how far ahead of
# UTC "today" can be. The patient's own zone is checked by validate_start_for_patient.
LATEST_OFFSET = dt.timedelta(hours=14)
EARLIEST_START = dt.datetime.combine(EARLIEST_DAY, dt.time.min, tzinfo=dt.timezone(LATEST_OFFSET))
EARLIEST_BIRTH = dt.date(1900, 1, 1)
# Any date a patient may name in a query (from/to of a list, History, Trends, the report, a share link): far
# enough either way for every diary, near enough that the day after it, and its start in every zone, are
# dates that Python and the databases hold. Checked before any arithmetic on it.
FIRST_QUERY_DAY = EARLIEST_BIRTH
LAST_QUERY_DAY = dt.date(2999, 12, 31)


def validate_started_at(value: dt.datetime) -> None:
    if value < EARLIEST_START:
        raise ValidationError(f"The start time can't be before {EARLIEST_DAY:%-d %B %Y}.")
    if value > timezone.now() + CLOCK_SKEW:
        raise ValidationError("The start time can't be in the future.")


def validate_start_for_patient(started_at: dt.datetime, *, zone: dt.tzinfo, date_of_birth: dt.date | None) -> None:
    """The bounds of a start that depend on the patient: 1 Jan 2000 and their date of birth, in local dates.

    The form, the API and the import call it before saving, and `services.save_episode` again.
    """
    day = local_date(started_at, zone)
    if day < EARLIEST_DAY:
        raise ValidationError({"started_at": f"The start time can't be before {EARLIEST_DAY:%-d %B %Y}."})
    if date_of_birth is not None and day < date_of_birth:
        raise ValidationError(
            {"started_at": f"The start time can't be before your date of birth ({date_of_birth:%-d %B %Y})."}
        )


def validate_query_day(value: dt.date) -> None:
    if not FIRST_QUERY_DAY <= value <= LAST_QUERY_DAY:
        raise ValidationError(
            f"Give a date from {FIRST_QUERY_DAY:%-d %B %Y} to {LAST_QUERY_DAY:%-d %B %Y}.", code="out_of_range"
        )


def validate_date_of_birth(value: dt.date) -> None:
    if value > (timezone.now() + LATEST_OFFSET).date():
        raise ValidationError("The date of birth can't be in the future.")
    if value < EARLIEST_BIRTH:
        raise ValidationError(f"The date of birth can't be before {EARLIEST_BIRTH.year}.")


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _zone_names():
        raise ValidationError(f"Unknown time zone {value!r}: use an IANA name such as Europe/London.")


# The usual emergency number by time zone: a name ending in "/" is a prefix. 112 works across Europe
# and on most phones. Sign-up hands the same table to the browser to propose a number as the zone changes.
EMERGENCY_NUMBERS: tuple[tuple[str, str], ...] = (
    ("America/", "911"),
    ("US/", "911"),
    ("Canada/", "911"),
    ("Pacific/Honolulu", "911"),
    ("Europe/London", "999"),
    ("Europe/Dublin", "999"),
    ("Europe/Belfast", "999"),
    ("Australia/", "000"),
    ("Asia/Tokyo", "119"),
    ("Asia/Seoul", "119"),
    ("Asia/Taipei", "119"),
    ("Pacific/Auckland", "111"),
)
DEFAULT_EMERGENCY_NUMBER = "112"


def default_emergency_number(tz_name: str) -> str:
    """The usual emergency number for a time zone's region."""
    for name, number in EMERGENCY_NUMBERS:
        if tz_name == name or (name.endswith("/") and tz_name.startswith(name)):
            return number
    return DEFAULT_EMERGENCY_NUMBER


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    conditions = models.JSONField(default=list, blank=True)
    emergency_number = models.CharField(
        max_length=15,
        default=DEFAULT_EMERGENCY_NUMBER,
        validators=[RegexValidator(r"^[0-9]{2,15}$", "Use digits only, e.g. 112, 911 or 999.")],
    )
    display_name = models.CharField(
        max_length=MAX_DISPLAY_NAME,
        blank=True,
        default="",
        help_text="the patient's name as shown on the physician report",
    )
    reminder_time = models.TimeField(null=True, blank=True)
    reminder_sent_on = models.DateField(null=True, blank=True, help_text="local date of the last reminder")
    reminder_starts_on = models.DateField(
        null=True, blank=True, help_text="the first local date a reminder may go: the next day, when it was chosen late"
    )
    date_of_birth = models.DateField(null=True, blank=True, validators=[validate_date_of_birth])

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def clock(self) -> Clock:
        return Clock(self.zone)

    def clean(self) -> None:
        try:
            self.conditions = vocab.canonical(vocab.CONDITIONS, self.conditions)
        except ValidationError as e:
            raise ValidationError({"conditions": e.messages}) from e
        if self.date_of_birth and self.timezone in _zone_names():
            # The field's validator allows for the zone furthest ahead; here "today" is the patient's own.
            if self.date_of_birth > self.clock.today():
                raise ValidationError({"date_of_birth": "The date of birth can't be in the future."})


# Still going: no duration yet, and not "not sure" (Episode.ongoing, as a query).
ONGOING = models.Q(duration_minutes__isnull=True, duration_unknown=False)


class Episode(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes")
    started_at = models.DateTimeField(validators=[validate_started_at])
    duration_minutes = models.PositiveIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MAX_DURATION_MINUTES, DURATION_TOO_LONG)]
    )
    # "Not sure how long": the episode is over and the patient doesn't know how long it lasted. The duration is then
    # empty but the episode is not ongoing; no number is made up for it (DESIGN §3; docs/pages.md, "How long?").
    duration_unknown = models.BooleanField(default=False)
    severity = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(vocab.SEVERITY_MIN), MaxValueValidator(vocab.SEVERITY_MAX)]
    )
    sensations = models.JSONField(default=list, blank=True)
    triggers = models.JSONField(default=list, blank=True)
    symptoms = models.JSONField(default=list, blank=True)
    relieved_by = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True, default="", validators=[MaxLengthValidator(MAX_NOTES)])
    # The patient answered the alarm questions: ticked one, or chose "none of these". Tells "checked, none" from
    # "not asked" (the report's pertinent negatives). An episode of a numbness-diary/1 file has it false.
    alarm_answered = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # An entry that came in an imported file (`diary/interchange.py`): when it was logged is not known (created_at is
    # the import's time), and no warning screen was shown for a version saved from a file. The report says so.
    logged_from_file = models.BooleanField(default=False, editable=False)  # an import created it
    saved_from_file = models.BooleanField(default=False, editable=False)  # its last change came from an import
    # When the patient was nudged about this episode still going (diary/reminders.py): once per episode.
    still_going_nudged_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_unknown=False) | models.Q(duration_minutes__isnull=True),
                name="unknown_duration_has_no_minutes",
            )
        ]
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
        """Still going: no duration yet, and not one the patient said they don't know."""
        return self.duration_minutes is None and not self.duration_unknown

    def local_start(self, zone: dt.tzinfo) -> dt.datetime:
        return self.started_at.astimezone(zone)

    @property
    def places(self) -> list[vocab.Place]:
        """Where it was, in natural order (prefetch `locations` when reading many)."""
        return vocab.places(loc.place for loc in self.locations.all())

    @property
    def places_words(self) -> str:
        """Where it was as one phrase, as the leg map and the Save bar say it: "Left toes, left sole"."""
        return vocab.places_in_words(self.places)

    @property
    def other_symptoms(self) -> list[str]:
        """The symptoms ticked that are not alarm signs ("Cramps"): the episode's line says them too, as the report's
        "Also ticked" does, so the patient sees on the page what the physician will read."""
        return [code for code in self.symptoms if code not in vocab.ALARM_SYMPTOMS]

    @property
    def alarms(self) -> list[str]:
        """Its alarm symptoms and alarming places in the patient's words, for the episode's line on a page."""
        return vocab.alarms_in_words(self.symptoms, [(loc.side, loc.region) for loc in self.locations.all()])

    def keep_locations(self, locations: list[EpisodeLocation]) -> None:
        """The location rows just written, kept as if prefetched: the instant check and the answer of a save read
        them without a query (Django's prefetch cache, filled as `prefetch_related` fills it)."""
        rows = self.locations.all()
        rows._result_cache, rows._prefetch_done = list(locations), True  # type: ignore[attr-defined]
        self._prefetched_objects_cache = {"locations": rows}


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

    @property
    def place(self) -> vocab.Place:
        return vocab.Place(self.side, self.region)


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


class ApiToken(AbstractAuthToken):  # type: ignore[misc]  # knox ships no type hints
    """An app's access to the patient's diary through the API (django-rest-knox keeps the token's digest only).

    `name` is what the app called itself when it signed in (or its User-Agent): Settings lists the tokens by it
    under "Apps with access". knox moves `expiry` forward as the token is used (diary/accounts.py).
    """

    name: models.CharField[str, str] = models.CharField(max_length=MAX_APP_NAME, blank=True, default="")

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"API token {self.token_key}… of patient {self.user_id}"

    @property
    def last_used(self) -> dt.datetime:
        """About when it was last used: knox moves the expiry a full term on from each use (hourly at most)."""
        expiry: dt.datetime | None = self.expiry
        created: dt.datetime = self.created
        return expiry - dt.timedelta(days=settings.API_TOKEN_DAYS) if expiry else created


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="diary.profile_with_account")
def create_profile(sender: type[models.Model], instance: User, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """Every account has its profile from the start, so reading it never writes."""
    if created and not raw:
        Profile.objects.create(user=instance)
