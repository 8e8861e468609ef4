"""HTML forms: the log form, the profile form and sign-up. Rules come from the model validators."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from diary import bodymap, trends, vocab
from diary.days import Clock, LocalTimeError
from diary.models import (
    MAX_DURATION_MINUTES,
    MAX_NOTES,
    Episode,
    Profile,
    validate_start_for_patient,
    validate_started_at,
    validate_timezone,
)

DURATION_CHOICES = [
    ("1", "1 min"),
    ("5", "5 min"),
    ("15", "15 min"),
    ("30", "30 min"),
    ("60", "1 hour"),
    ("custom", "Other"),
    ("ongoing", "Still going"),
]
SEVERITY_CHOICES = [(str(n), str(n)) for n in vocab.SEVERITY_SCALE]


def timezone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def code_field(vocabulary: dict[str, vocab.Term], label: str, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=vocab.choices(vocabulary),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        **kwargs,
    )


class LocalDateTimeField(forms.DateTimeField):
    """A date and time read and shown on the patient's clock (set by the form), not the request's active zone."""

    clock: Clock | None = None
    label_text = "The time"

    def to_python(self, value: object) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            moment = value
        else:
            text = str(value).strip()
            try:
                parsed = parse_datetime(text)  # ISO 8601, with or without an offset
            except ValueError:
                parsed = None
            read = parsed or forms.fields.BaseTemporalField.to_python(self, text)
            if not isinstance(read, dt.datetime):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            moment = read
        if self.clock is None:
            raise RuntimeError("LocalDateTimeField needs the patient's clock to read a time.")
        try:
            return self.clock.aware(moment, self.label_text)
        except LocalTimeError as e:
            raise ValidationError(str(e), code="local_time") from None

    def prepare_value(self, value: object) -> object:
        if isinstance(value, dt.datetime) and self.clock is not None and value.tzinfo is not None:
            return self.clock.local(value).replace(tzinfo=None)
        return value


class EpisodeForm(forms.Form):
    """The log form. `clock` reads "Earlier" times; `date_of_birth` bounds them (both are the patient's)."""

    id = forms.UUIDField(widget=forms.HiddenInput)
    when = forms.ChoiceField(
        label="When did it start?",
        choices=[("now", "Just now"), ("earlier", "Earlier")],
        widget=forms.RadioSelect,
        initial="now",
    )
    started_at = LocalDateTimeField(
        label="Date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_started_at],
    )
    duration = forms.ChoiceField(label="How long?", choices=DURATION_CHOICES, widget=forms.RadioSelect, initial="5")
    duration_custom = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=0,
        max_value=MAX_DURATION_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    severity = forms.TypedChoiceField(
        label="How bad? 0 = barely, 10 = worst imaginable",
        choices=SEVERITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how bad it was, from 0 to 10."},
    )
    locations = forms.MultipleChoiceField(
        label="Where?",
        choices=bodymap.location_choices(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Mark at least one place on the leg."},
    )
    sensations = code_field(vocab.SENSATIONS, "What did it feel like?")
    triggers = code_field(vocab.TRIGGERS, "What were you doing?")
    alarm_symptoms = forms.MultipleChoiceField(
        label="Anything else right now?",
        choices=[(t.code, t.label) for t in vocab.SYMPTOMS.values() if t.alarm],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    other_symptoms = forms.MultipleChoiceField(
        label="Other symptoms",
        choices=[(t.code, t.label) for t in vocab.SYMPTOMS.values() if not t.alarm],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    relieved_by = code_field(vocab.RELIEF, "What helped?")
    notes = forms.CharField(
        label="Notes", required=False, max_length=MAX_NOTES, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, clock: Clock, date_of_birth: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clock, self.date_of_birth = clock, date_of_birth
        started_at = self.fields["started_at"]
        assert isinstance(started_at, LocalDateTimeField)
        started_at.clock, started_at.label_text = clock, "The start time"

    @classmethod
    def for_new(cls, clock: Clock) -> EpisodeForm:
        return cls(initial={"id": uuid.uuid4(), "sensations": ["numbness"]}, clock=clock)

    @classmethod
    def for_episode(cls, episode: Episode, clock: Clock) -> EpisodeForm:
        presets = {choice for choice, _ in DURATION_CHOICES}
        if episode.ongoing:
            duration, custom = "ongoing", None
        elif str(episode.duration_minutes) in presets:
            duration, custom = str(episode.duration_minutes), None
        else:
            duration, custom = "custom", episode.duration_minutes
        return cls(
            clock=clock,
            initial={
                "id": episode.id,
                "when": "earlier",
                "started_at": clock.local(episode.started_at),
                "duration": duration,
                "duration_custom": custom,
                "severity": str(episode.severity),
                "locations": [f"{loc.side}:{loc.region}" for loc in episode.locations.all()],
                "sensations": episode.sensations,
                "triggers": episode.triggers,
                "alarm_symptoms": [c for c in episode.symptoms if vocab.SYMPTOMS[c].alarm],
                "other_symptoms": [c for c in episode.symptoms if not vocab.SYMPTOMS[c].alarm],
                "relieved_by": episode.relieved_by,
                "notes": episode.notes,
            },
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("when") == "earlier" and not data.get("started_at") and "started_at" not in self.errors:
            self.add_error("started_at", "Give the date and time it started.")
        if data.get("when") == "earlier" and data.get("started_at"):
            try:
                validate_start_for_patient(data["started_at"], zone=self.clock.zone, date_of_birth=self.date_of_birth)
            except ValidationError as e:
                self.add_error(None, e)
        if (
            data.get("duration") == "custom"
            and data.get("duration_custom") is None
            and "duration_custom" not in self.errors
        ):
            self.add_error("duration_custom", "Give the number of minutes.")
        return data

    def service_arguments(self, now: dt.datetime) -> dict[str, Any]:
        """The cleaned form as keyword arguments of `services.save_episode`."""
        data = self.cleaned_data
        choice = data["duration"]
        if choice == "ongoing":
            minutes = None
        elif choice == "custom":
            minutes = data["duration_custom"]
        else:
            minutes = int(choice)
        return {
            "started_at": data["started_at"] if data["when"] == "earlier" else now,
            "duration_minutes": minutes,
            "severity": data["severity"],
            "locations": [tuple(value.split(":", 1)) for value in data["locations"]],
            "sensations": data["sensations"],
            "triggers": data["triggers"],
            "symptoms": data["alarm_symptoms"] + data["other_symptoms"],
            "relieved_by": data["relieved_by"],
            "notes": data["notes"],
        }


class ProfileForm(forms.ModelForm[Profile]):
    timezone = forms.ChoiceField(label="Time zone", choices=timezone_choices, validators=[validate_timezone])
    conditions = code_field(vocab.CONDITIONS, "Known conditions")

    class Meta:
        model = Profile
        fields = ["timezone", "emergency_number", "conditions", "reminder_time", "date_of_birth"]
        labels = {
            "emergency_number": "Emergency number",
            "reminder_time": "Daily reminder at",
            "date_of_birth": "Date of birth (optional, shown on your report)",
        }
        widgets = {
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "emergency_number": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def clean_conditions(self) -> list[str]:
        return vocab.canonical(vocab.CONDITIONS, self.cleaned_data["conditions"])


class SignupForm(UserCreationForm[User]):
    email = forms.EmailField(label="Email (optional, for warnings and password resets)", required=False)
    timezone = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = User
        fields = ["username", "email"]

    def clean_timezone(self) -> str:
        name: str = self.cleaned_data.get("timezone") or "UTC"
        return name if name in zoneinfo.available_timezones() else "UTC"


class DeleteAccountForm(forms.Form):
    password = forms.CharField(label="Your password", widget=forms.PasswordInput, strip=False)

    def __init__(self, user: User, *args: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


class TrendRangeForm(forms.Form):
    """The period of the Trends page, the trends API and the report: a named range or custom dates."""

    range = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in trends.RANGES.items()] + [("custom", "Custom")],
        required=False,
    )
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    MAX_DAYS = 366 * 10

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") or data.get("end"):
            data["range"] = "custom"
        data["range"] = data.get("range") or trends.DEFAULT_RANGE
        if data["range"] == "custom":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError("Give both dates of a custom period.")
            if start > end:
                self.add_error("end", "The end date is before the start date.")
            elif end > self.today:
                self.add_error("end", "The period can't end after today.")
            elif (end - start).days >= self.MAX_DAYS:
                self.add_error("start", "A period can be at most ten years long.")
        return data

    def selection(self) -> tuple[str, tuple[dt.date, dt.date] | None]:
        """(range choice, custom dates or None) of a valid form."""
        data = self.cleaned_data
        return data["range"], (data["start"], data["end"]) if data["range"] == "custom" else None


class HistoryFilterForm(forms.Form):
    """History's ?from=&to= filter; a bad date is reported and ignored instead of hiding everything."""

    start = forms.DateField(required=False)
    end = forms.DateField(required=False)

    def __init__(self, query: QueryDict) -> None:
        super().__init__({"start": query.get("from", ""), "end": query.get("to", "")})

    def dates(self) -> tuple[dt.date | None, dt.date | None]:
        if not self.is_valid():
            return (self.cleaned_data.get("start"), self.cleaned_data.get("end"))
        return self.cleaned_data["start"], self.cleaned_data["end"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date is before the start date.")  # also drops it from cleaned_data
        return data

    def messages(self) -> list[str]:
        names = {"start": "From", "end": "To"}
        return [f"{names[field]}: {' '.join(map(str, errors))}" for field, errors in self.errors.items()]
