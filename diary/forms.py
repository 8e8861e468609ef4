"""HTML forms: the log form, the profile form and sign-up. Rules come from the model validators."""

from __future__ import annotations

import datetime as dt
import json
import uuid
import zoneinfo
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundWidget
from django.http import QueryDict
from django.utils.dateparse import parse_datetime

from diary import hooks, picker, reminders, vocab, zones
from diary.clock import Clock, LocalTimeError
from diary.models import (
    DEFAULT_EMERGENCY_NUMBER,
    DURATION_TOO_LONG,
    EARLIEST_START,
    EMERGENCY_NUMBERS,
    LAST_QUERY_DAY,
    MAX_DURATION_MINUTES,
    MAX_NOTES,
    Episode,
    Profile,
    default_emergency_number,
    validate_date_of_birth,
    validate_query_day,
    validate_start_for_patient,
    validate_started_at,
    validate_timezone,
)
from web.forms import TextBox

DURATION_CHOICES = [
    ("1", "1 min"),
    ("5", "5 min"),
    ("15", "15 min"),
    ("30", "30 min"),
    ("60", "1 hour"),
    ("custom", "Other"),
    ("ongoing", "Still going"),
    ("unknown", "Not sure"),  # stored as Episode.duration_unknown: no minutes are made up, and it is not ongoing
]
SEVERITY_CHOICES = [(str(n), str(n)) for n in vocab.SEVERITY_SCALE]
# "When did it start?": a few minutes ago is the common answer; the minutes count back from the tap.
WHEN_CHOICES = [
    ("now", "Just now"),
    ("5", "5 min ago"),
    ("10", "10 min ago"),
    ("15", "15 min ago"),
    ("30", "30 min ago"),
    ("60", "1 hour ago"),
    ("earlier", "Earlier"),
]
MINUTES_AGO = {code: int(code) for code, _ in WHEN_CHOICES if code.isdigit()}
# The minutes field's messages name minutes and hours; the longest comes from the model's validator.
MINUTES_MESSAGES = {
    "required": "Give the number of minutes.",
    "invalid": "Give the minutes as a whole number, for example 90 for an hour and a half.",
    "min_value": "The minutes can't be below 0.",
    "max_value": DURATION_TOO_LONG,
}


def validate_tapped_at(value: dt.datetime) -> None:
    """The phone's time of the tap on Save: since 2000 (a start counted back from an earlier one would be before it)
    and before the year 3000, so that minutes back from it and its time on the patient's clock are times at all."""
    if value < EARLIEST_START or value.date() > LAST_QUERY_DAY:
        validate_started_at(value)


def alarm_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """[(group title, [(code, label), …]), …] from `vocab.ALARM_GROUPS`, covering every alarm symptom
    exactly once: one the groups leave out is still asked, in a last group."""
    alarm = {code: term for code, term in vocab.SYMPTOMS.items() if term.alarm}
    seen: set[str] = set()
    groups = []
    for title, codes in vocab.ALARM_GROUPS:
        members = [(code, alarm[code].label) for code in codes if code in alarm and code not in seen]
        seen.update(code for code, _ in members)
        if members:
            groups.append((title, members))
    rest = [(code, term.label) for code, term in alarm.items() if code not in seen]
    if rest:
        groups.append(("Anything else sudden", rest))
    return groups


class TimeZoneField(forms.ChoiceField):
    """The curated list of `diary/zones.py` to pick from; any zone the database knows is still accepted (a
    profile's old alias, a phone that names its zone the old way, "Asia/Calcutta")."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=zones.zone_choices, validators=[validate_timezone], **kwargs)

    def keep(self, current: str | None) -> None:
        """Offer the zone a profile already has even when the list leaves it out."""
        self.choices = zones.zone_choices(keep=current)

    def valid_value(self, value: str) -> bool:
        return value in zoneinfo.available_timezones()


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
    # An edit's time as it was saved: sent back unchanged, as the form showed it (a datetime-local field has no
    # offset), it means that instant, also in the hour that repeats when the clocks go back.
    kept: dt.datetime | None = None

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
        kept = self.kept
        if kept is not None and moment.tzinfo is None and moment == self.clock.local(kept).replace(tzinfo=None):
            return kept
        try:
            return self.clock.aware(moment, self.label_text)
        except LocalTimeError as e:
            raise ValidationError(str(e), code="local_time") from None

    def prepare_value(self, value: object) -> object:
        if isinstance(value, dt.datetime) and self.clock is not None and value.tzinfo is not None:
            return self.clock.local(value).replace(tzinfo=None)
        return value


class EpisodeForm(forms.Form):
    """The log form. `clock` reads "Earlier" times; `date_of_birth` bounds them (both are the patient's).

    "Just now" and "N min ago" count back from `tapped_at`, the phone's time at the tap on Save with its UTC
    offset (static/js/logform.js), or from the server's now without JavaScript. A form sent back with an error
    keeps that moment and says it: "Just now (14:05)".
    """

    id = forms.UUIDField(widget=forms.HiddenInput)
    when = forms.ChoiceField(label="When did it start?", choices=WHEN_CHOICES, widget=forms.RadioSelect, initial="now")
    tapped_at = LocalDateTimeField(required=False, widget=forms.HiddenInput, validators=[validate_tapped_at])
    started_at = LocalDateTimeField(
        label="Date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_started_at],
    )
    duration = forms.ChoiceField(
        label="How long?",
        choices=DURATION_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how long it lasted, or “Not sure”."},
    )
    duration_custom = forms.IntegerField(
        label="Minutes",
        required=False,
        min_value=0,
        max_value=MAX_DURATION_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages=MINUTES_MESSAGES,
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
        choices=picker.choices(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Mark at least one place on the leg."},
    )
    sensations = code_field(vocab.SENSATIONS, "What did it feel like?")
    triggers = code_field(vocab.TRIGGERS, "What were you doing?")
    alarm_symptoms = forms.MultipleChoiceField(
        label="Anything else right now?",
        choices=lambda: [choice for _, members in alarm_groups() for choice in members],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    alarm_none = forms.BooleanField(label="None of these", required=False)
    # The Save bar's question about a place alarming by itself (the saddle) when it is the entry's only alarming
    # thing: asked once. `region_confirmed` is kept in the form once answered (or for an episode that already had
    # the place); `region_answer` is the button the patient pressed without JavaScript.
    region_confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    region_answer = forms.ChoiceField(
        choices=[("", "Not asked"), ("yes", "Yes, save"), ("no", "No, remove it")], required=False
    )
    other_symptoms = forms.MultipleChoiceField(
        label="Other symptoms",
        choices=[(t.code, t.label) for t in vocab.SYMPTOMS.values() if not t.alarm],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    relieved_by = code_field(vocab.RELIEF, "What helped?")
    # No maxlength on the box: a browser would cut a longer paste without a word. The counter (logform.js) and
    # the message below say how much is over, and nothing typed is lost.
    notes = TextBox(label="Notes", required=False)

    def __init__(
        self,
        *args: Any,
        clock: Clock,
        date_of_birth: dt.date | None = None,
        kept_start: dt.datetime | None = None,
        **kwargs: Any,
    ) -> None:
        """`kept_start`: an edited episode's start, which its time sent back as shown means."""
        super().__init__(*args, **kwargs)
        self.clock, self.date_of_birth = clock, date_of_birth
        for name, label in (("started_at", "The start time"), ("tapped_at", "The time of the tap")):
            field = self.fields[name]
            assert isinstance(field, LocalDateTimeField)
            field.clock, field.label_text = clock, label
        started_at = self.fields["started_at"]
        assert isinstance(started_at, LocalDateTimeField)
        started_at.kept = kept_start
        self.fields["notes"].widget.attrs.update({"data-max-length": str(MAX_NOTES), "aria-describedby": "notes-count"})
        if self.is_bound:
            self._keep_the_tap()

    def _keep_the_tap(self) -> None:
        """A form sent back keeps the moment of the first tap on Save: the choices say it ("Just now (14:05)",
        as the phone's clock read), and "Earlier" starts from it, so the next Save means the same time."""
        tapped = self._tapped_at()
        if tapped is None:
            return
        when = self.fields["when"]
        assert isinstance(when, forms.ChoiceField)
        phone = self._phone_zone(tapped)
        moments = {
            code: (tapped - dt.timedelta(minutes=MINUTES_AGO.get(code, 0))).astimezone(phone)
            for code, _ in WHEN_CHOICES
            if code == "now" or code in MINUTES_AGO
        }
        # Choices that straddle a change of the clocks each say their zone: "01:10 BST", "01:10 GMT".
        shown = "%H:%M %Z" if len({m.utcoffset() for m in moments.values()}) > 1 else "%H:%M"
        when.choices = [
            (code, f"{label} ({moments[code]:{shown}})") if code in moments else (code, label)
            for code, label in WHEN_CHOICES
        ]
        if not self.data.get("started_at") and isinstance(self.data, QueryDict):
            data = self.data.copy()
            data["started_at"] = f"{self.clock.local(tapped):%Y-%m-%dT%H:%M}"
            self.data = data

    def _phone_zone(self, tapped: dt.datetime) -> dt.tzinfo:
        """The zone the phone's clock read in: the patient's when the tap's offset is theirs then, so that "1 hour
        ago" on the night the clocks go back reads as the clock did an hour before; else the tap's own offset."""
        local = self.clock.local(tapped)
        zone = local.tzinfo if local.utcoffset() == tapped.utcoffset() else tapped.tzinfo
        assert zone is not None
        return zone

    def _tapped_at(self) -> dt.datetime | None:
        """The phone's time of the tap, with its own offset, if the form carried a readable one."""
        text = str(self.data.get("tapped_at") or "")
        try:
            moment = parse_datetime(text)
            if moment is None or moment.tzinfo is None:
                return None
            validate_tapped_at(moment)
        except (ValueError, ValidationError):
            return None
        return moment

    def clean_notes(self) -> str:
        notes: str = self.cleaned_data["notes"]  # a line break one character, as the counter counts it (TextBox)
        if len(notes) > MAX_NOTES:
            raise ValidationError(
                f"Notes can be up to {MAX_NOTES:,} characters; these have {len(notes):,}. "
                f"Shorten them by {len(notes) - MAX_NOTES:,} to save. Nothing you typed was cut."
            )
        return notes

    @classmethod
    def for_repeat(cls, episode: Episode, clock: Clock) -> EpisodeForm:
        """A new episode like `episode`: everything but the time, the notes and the alarm questions,
        which are asked afresh every time."""
        fresh = {
            "id": uuid.uuid4(),
            "when": "now",
            "started_at": clock.now().replace(second=0, microsecond=0, tzinfo=None),
            "alarm_symptoms": [],
            "alarm_none": False,
            "notes": "",
        }
        return cls(initial={**cls.for_episode(episode, clock).initial, **fresh}, clock=clock)

    @classmethod
    def for_new(cls, clock: Clock, day: dt.date | None = None) -> EpisodeForm:
        """A blank form; "Earlier" is filled in with now. With `day` (a past day, from Today's week or History),
        it starts on "Earlier" at this time of day on that day."""
        now = clock.now().replace(second=0, microsecond=0, tzinfo=None)
        if day is None or day >= now.date():
            return cls(initial={"id": uuid.uuid4(), "started_at": now}, clock=clock)
        return cls(
            initial={"id": uuid.uuid4(), "when": "earlier", "started_at": dt.datetime.combine(day, now.time())},
            clock=clock,
        )

    @classmethod
    def for_episode(cls, episode: Episode, clock: Clock) -> EpisodeForm:
        presets = {choice for choice, _ in DURATION_CHOICES}
        if episode.duration_unknown:
            duration, custom = "unknown", None
        elif episode.ongoing:
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
                "locations": [place.key for place in episode.places],
                "sensations": episode.sensations,
                "triggers": episode.triggers,
                "alarm_symptoms": [c for c in episode.symptoms if vocab.SYMPTOMS[c].alarm],
                "alarm_none": episode.alarm_answered and not vocab.ALARM_SYMPTOMS.intersection(episode.symptoms),
                "region_confirmed": any(place.region in vocab.ALARM_REGIONS for place in episode.places),
                "other_symptoms": [c for c in episode.symptoms if not vocab.SYMPTOMS[c].alarm],
                "relieved_by": episode.relieved_by,
                "notes": episode.notes,
            },
        )

    def alarm_groups(self) -> list[tuple[str, list[BoundWidget]]]:
        """The alarm checkboxes, grouped, for the template."""
        widgets = {option.data["value"]: option for option in self["alarm_symptoms"]}
        return [(title, [widgets[code] for code, _ in members]) for title, members in alarm_groups()]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("when") != "earlier":
            self.errors.pop("started_at", None)  # "Earlier"'s box, filled in with now, is not what was chosen
        if data.get("duration") != "custom":
            self.errors.pop("duration_custom", None)  # a number left in "Other"'s box, not what was chosen
        if data.get("when") in MINUTES_AGO or data.get("when") == "now":
            # The start counts back from the tap: said next to "When did it start?", the question it answers.
            unreadable = self.errors.pop("tapped_at", None)
            try:
                if unreadable:
                    raise ValidationError(list(unreadable))
                validate_started_at(self.start_of(dt.datetime.now(dt.UTC)))
            except ValidationError as e:
                self.add_error("when", e.messages + ["Choose “Earlier” and give the date and time it started."])
        else:
            self.errors.pop("tapped_at", None)
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
        if data.get("alarm_none") and data.get("alarm_symptoms"):
            self.add_error("alarm_none", "Tick what is happening, or “None of these”, not both.")
        return data

    def start_of(self, now: dt.datetime) -> dt.datetime:
        """When it started: the date and time given for "Earlier", else the minutes back from the tap (or `now`)."""
        data = self.cleaned_data
        if data["when"] == "earlier":
            started_at: dt.datetime = data["started_at"]
            return started_at
        tapped: dt.datetime = data.get("tapped_at") or now
        return tapped - dt.timedelta(minutes=MINUTES_AGO.get(data["when"], 0))

    @staticmethod
    def alarm_region_words() -> str:
        """The places alarming by themselves, as the Save bar's question names them: "between the legs / …"."""
        return " or ".join(vocab.REGIONS[code].label.lower() for code in vocab.REGIONS if code in vocab.ALARM_REGIONS)

    @staticmethod
    def alarm_region_codes() -> str:
        """The codes of those places, for the page's script: "saddle"."""
        return " ".join(sorted(vocab.ALARM_REGIONS))

    def region_to_confirm(self) -> list[str]:
        """Keys of the alarming places ("left:saddle") when they are the only alarming thing in this valid form and
        the patient has not confirmed them yet: the Save bar asks "Is that right?" once before saving."""
        data = self.cleaned_data
        if data["region_confirmed"] or data["region_answer"] == "yes" or data["alarm_symptoms"]:
            return []
        return [key for key in data["locations"] if vocab.Place.parse(key).region in vocab.ALARM_REGIONS]

    def service_arguments(self, now: dt.datetime) -> dict[str, Any]:
        """The cleaned form as keyword arguments of `services.save_episode`."""
        data = self.cleaned_data
        choice = data["duration"]
        if choice in ("ongoing", "unknown"):
            minutes = None
        elif choice == "custom":
            minutes = data["duration_custom"]
        else:
            minutes = int(choice)
        return {
            "started_at": self.start_of(now),
            "duration_minutes": minutes,
            "duration_unknown": choice == "unknown",
            "severity": data["severity"],
            "locations": [(place.side, place.region) for place in map(vocab.Place.parse, data["locations"])],
            "sensations": data["sensations"],
            "triggers": data["triggers"],
            "symptoms": data["alarm_symptoms"] + data["other_symptoms"],
            "relieved_by": data["relieved_by"],
            "notes": data["notes"],
            "alarm_answered": data["alarm_none"] or bool(data["alarm_symptoms"]),
        }


# The generic bases mypy --strict checks against; at run time Django's classes, which take no parameters
# (cheaper than django-stubs-ext's monkeypatch of every Django class, paid by each process at start).
if TYPE_CHECKING:
    ProfileFormBase = forms.ModelForm[Profile]
    SignupFormBase = UserCreationForm[User]
else:
    ProfileFormBase, SignupFormBase = forms.ModelForm, UserCreationForm

EMAIL_HELP = "Only used to reset a forgotten password, for your daily reminder and to tell you about a warning sign."
NAME_HELP = "Shown on the report for your doctor. Leave it empty to show your username."


class ProfileForm(ProfileFormBase):
    """Settings: the profile, and the account's email, which lives on the user."""

    display_name = forms.CharField(label="Your name", required=False, max_length=80, help_text=NAME_HELP)
    email = forms.EmailField(label="Email", required=False, help_text=EMAIL_HELP)
    timezone = TimeZoneField(label="Time zone")
    conditions = code_field(vocab.CONDITIONS, "Known conditions")

    class Meta:
        model = Profile
        fields = ["display_name", "timezone", "emergency_number", "conditions", "reminder_time", "date_of_birth"]
        labels = {
            "emergency_number": "Emergency number",
            "reminder_time": "Daily reminder at",
            "date_of_birth": "Date of birth (optional, shown on your report)",
        }
        help_texts = {
            "reminder_time": "On days you have not logged yet: a notification on the phones where you turned them on "
            "below, otherwise an email."
        }
        widgets = {
            "reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "date_of_birth": forms.DateInput(attrs={"type": "date"}),
            "emergency_number": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].initial = self.instance.user.email
        zone = self.fields["timezone"]
        assert isinstance(zone, TimeZoneField)
        zone.keep(self.instance.timezone)
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def clean_conditions(self) -> list[str]:
        return vocab.canonical(vocab.CONDITIONS, self.cleaned_data["conditions"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "email" not in self.errors and reminders.nowhere_to_go(
            self.instance.user_id, data.get("reminder_time"), data.get("email")
        ):
            # Only offer what this server has: without push configured, the page says notifications are not set up.
            other = ", or notifications turned on for this phone" if hooks.can_offer_devices() else ""
            self.add_error("email", f"A daily reminder needs an email address to go to{other}.")
        return data


class SignupForm(SignupFormBase):
    """One screen: the account, the name and birth date for the report, and the phone's time zone."""

    display_name = forms.CharField(label="Your name (optional)", required=False, max_length=80, help_text=NAME_HELP)
    email = forms.EmailField(label="Email (optional)", required=False, help_text=EMAIL_HELP)
    date_of_birth = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_of_birth],
        help_text="Shown on your report, so your doctor knows it is yours.",
    )
    timezone = TimeZoneField(
        label="Time zone",
        initial="UTC",
        help_text="Your days start at midnight here. Your phone's zone is chosen for you.",
    )
    emergency_number = forms.CharField(
        label="Emergency number",
        required=False,
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text="The warning screens offer to call it. Empty: the usual number for your time zone.",
    )

    class Meta:
        model = User
        fields = ["username", "email"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # An error must not wipe what was typed: the passwords come back too (the page is not cached).
        for name in ("password1", "password2"):
            self.fields[name].widget = forms.PasswordInput(attrs={"autocomplete": "new-password"}, render_value=True)
        self.fields["password1"].help_text = ""  # the rules are listed before the field, see the template
        self.fields["username"].help_text = "Letters, digits and @ . + - _ only. You log in with it."
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["username"].widget.attrs.pop("autofocus", None)  # read the page first; no keyboard over it
        self.fields["display_name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["emergency_number"].widget.attrs["data-numbers"] = json.dumps(
            {"rules": EMERGENCY_NUMBERS, "default": DEFAULT_EMERGENCY_NUMBER}
        )

    def validate_password_for_user(self, user: User, password_field_name: str = "password2") -> None:  # noqa: S107
        """Every password rule in one round, on the first password box (where the rules are listed), whether or
        not the two boxes match: Django checks the second box, which it drops when they differ, so a typo and a
        short password cost two rounds."""
        password = self.cleaned_data.get("password1")
        if password:
            try:
                password_validation.validate_password(password, user)
            except ValidationError as error:
                self.add_error("password1", error)

    def clean_emergency_number(self) -> str:
        number: str = self.cleaned_data["emergency_number"].strip()
        if number:
            Profile._meta.get_field("emergency_number").run_validators(number)
        return number

    def profile_values(self) -> dict[str, Any]:
        """What sign-up writes to the new patient's profile."""
        data = self.cleaned_data
        return {
            "timezone": data["timezone"],
            "emergency_number": data["emergency_number"] or default_emergency_number(data["timezone"]),
            "display_name": data["display_name"].strip(),
            "date_of_birth": data["date_of_birth"],
        }


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


class NoNumbnessForm(forms.Form):
    """Today's "No numbness today" button. The day it was tapped travels with it, so a tap kept on the phone
    while offline and sent the next morning still answers for the day it was made (missing: today). A tap
    answers for the last week at most: older days are History's to correct."""

    date = forms.DateField(required=False)
    DAYS_BACK = 7

    def __init__(self, data: QueryDict, *, today: dt.date) -> None:
        super().__init__(data)
        self.today = today

    def clean_date(self) -> dt.date:
        day: dt.date = self.cleaned_data["date"] or self.today
        if day > self.today:
            raise forms.ValidationError("You can't check in for a day that hasn't come yet.")
        if day < self.today - dt.timedelta(days=self.DAYS_BACK):
            raise forms.ValidationError(
                f"This tap was for {day:%-d %b}, over a week ago: it was not saved. Correct that day in History."
            )
        return day


class HistoryFilterForm(forms.Form):
    """History's ?from=&to= filter; a bad date is reported and ignored instead of hiding everything."""

    start = forms.DateField(required=False, validators=[validate_query_day])
    end = forms.DateField(required=False, validators=[validate_query_day])

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
