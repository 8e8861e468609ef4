"""The treatments' HTML forms: add one on one short screen, change the dose, stop, edit, a missed day, an effect.

The rules are the services' (`treatments.services`), so the forms, the API and the import say the same; a form
only shows each problem beside its field. The stop form words its own: it asks for the last day taken, the services
for the first day without it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict

from diary.clock import Clock, day_words
from diary.forms import LocalDateTimeField
from diary.models import EARLIEST_DAY, MAX_NOTES
from diary.vocab import choices
from treatments import vocab
from treatments.facts import CourseFacts
from treatments.models import AMOUNT_DIGITS, AMOUNT_PLACES, MAX_NAME, TOO_PRECISE, validate_amount
from treatments.services import TREATMENT_FIELDS
from web.forms import TextBox

TIMES_CHOICES = [(str(n), str(n)) for n in range(1, vocab.MAX_TIMES_PER_DAY + 1)]
SUGGESTIONS_LIST = "treatment-suggestions"  # the <datalist> of names (templates/treatments/_suggestions.html)
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AmountField(forms.DecimalField):
    """A dose's amount, one message for any bad one: its range is checked before Django counts its digits, which
    within the range only decimal places can exceed (1e9 is "more than 100,000", not also "no more than 8 digits")."""

    def validate(self, value: Decimal) -> None:
        super().validate(value)
        if value not in self.empty_values:
            validate_amount(value)


def _amount() -> forms.DecimalField:
    return AmountField(
        label="Dose",
        required=False,
        max_digits=AMOUNT_DIGITS,
        decimal_places=AMOUNT_PLACES,
        error_messages={
            "invalid": "Give the dose as a number, for example 75 or 0.5.",
            "max_digits": TOO_PRECISE,  # only a tiny dose has too many digits once the range is checked (1e-15)
            "max_decimal_places": TOO_PRECISE,  # (more than 8 whole digits is out of range: validate_amount says so)
        },
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )


def _unit() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Unit", choices=[(u.code, u.plural) for u in vocab.UNITS.values()], required=False, initial="mg"
    )


def _times() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Times a day",
        choices=TIMES_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def show_errors(form: forms.Form, error: ValidationError, renamed: dict[str, str] | None = None) -> None:
    """A service's refusal beside the form's fields ("courses[0].dose_amount" is the form's `dose_amount`)."""
    found = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    for key, messages in found.items():
        field = key.rsplit(".", 1)[-1] if key.startswith("courses[") else key
        field = (renamed or {}).get(field, field)
        form.add_error(field if field in form.fields else None, messages)


class DoseFields(forms.Form):
    """The dose of a course: amount and unit, and for a treatment taken every day, how many times a day."""

    dose_amount = _amount()
    dose_unit = _unit()
    times_per_day = _times()

    def __init__(self, *args: Any, schedule: str = vocab.REGULAR, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dose_schedule = schedule
        if schedule == vocab.AS_NEEDED:
            del self.fields["times_per_day"]

    def dose(self) -> dict[str, Any]:
        data = self.cleaned_data
        amount: Decimal | None = data.get("dose_amount")
        return {
            "dose_amount": amount,
            "dose_unit": data.get("dose_unit") or "" if amount is not None else "",
            "times_per_day": data.get("times_per_day") if self.dose_schedule == vocab.REGULAR else None,
        }


class AddTreatmentForm(DoseFields):
    """One short screen: the name (suggested as it is typed), what kind, how often, the dose, since when."""

    name = forms.CharField(
        label="Name",
        max_length=MAX_NAME,
        widget=forms.TextInput(attrs={"list": SUGGESTIONS_LIST, "autocomplete": "off", "autocapitalize": "sentences"}),
        help_text="Pick from the list or type your own.",
    )
    kind = forms.ChoiceField(
        label="What is it?",
        choices=choices(vocab.KINDS),
        widget=forms.RadioSelect,
        required=False,
        help_text="Filled in for you when you pick a name from the list.",
    )
    schedule = forms.ChoiceField(
        label="How do you take it?", choices=choices(vocab.SCHEDULES), widget=forms.RadioSelect, initial=vocab.REGULAR
    )
    started_on = forms.DateField(label="Since", widget=DATE)
    notes = TextBox(label="Notes", required=False, max_length=MAX_NOTES, rows=2)
    field_order = ["name", "kind", "schedule", "dose_amount", "dose_unit", "times_per_day", "started_on", "notes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        schedule = self.data.get("schedule") if self.is_bound else None
        self.dose_schedule = schedule if schedule in vocab.SCHEDULES else vocab.REGULAR

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        suggestion = vocab.suggestion_for_name(data.get("name", ""))
        data["ingredient"] = suggestion.code if suggestion else ""
        if not data.get("kind"):
            if suggestion:
                data["kind"] = suggestion.kind
            elif "name" in data:
                self.add_error("kind", "Choose what it is.")
        return data

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        as_given = {name: data[name] for name in TREATMENT_FIELDS}
        return as_given | {"courses": [CourseFacts(started_on=data["started_on"], **self.dose())]}


class ChangeDoseForm(DoseFields):
    """A new dose from a day (today by default); for a stopped treatment, the dose it starts again at."""

    started_on = forms.DateField(label="From", widget=DATE)
    field_order = ["dose_amount", "dose_unit", "times_per_day", "started_on"]


class StopForm(forms.Form):
    """The last day taken, as the patient counts: a course keeps the day after it, the first day without it, so the
    form words its refusals itself (the service's name a stop date this form never shows)."""

    last_day = forms.DateField(
        label="Last day you took it", widget=DATE, error_messages={"required": "Give the last day you took it."}
    )
    stop_reason = forms.ChoiceField(
        label="Why?",
        choices=choices(vocab.STOP_REASONS),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose why you stopped it."},
    )

    RENAMED = {"stopped_on": "last_day"}

    def __init__(self, *args: Any, courses: Sequence[CourseFacts], today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.courses = courses  # oldest first, the last one going on
        self.today = today

    def clean_last_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["last_day"]
        started = self.courses[-1].started_on
        if day < started:
            before = self.courses[-2] if len(self.courses) > 1 else None
            if before is None:
                since = "you started it"
            elif before.stopped_on == started:
                since = "this dose started"
            else:
                since = "you started it again"
            raise ValidationError(f"The last day you took it can't be before {since} ({day_words(started)}).")
        if day > self.today:
            raise ValidationError("The last day you took it can't be in the future.")
        return day

    def stopped_on(self) -> dt.date:
        """The first day without it, as a course keeps it."""
        day: dt.date = self.cleaned_data["last_day"]
        return day + dt.timedelta(days=1)


class DetailsForm(forms.Form):
    name = forms.CharField(label="Name", max_length=MAX_NAME, widget=forms.TextInput(attrs={"list": SUGGESTIONS_LIST}))
    kind = forms.ChoiceField(label="What is it?", choices=choices(vocab.KINDS), widget=forms.RadioSelect)
    notes = TextBox(label="Notes", required=False, max_length=MAX_NOTES)


class MissedDayForm(forms.Form):
    """A small form on the treatment's page, whose refusal is shown above the page: each names the day it asks."""

    day = forms.DateField(
        label="Day you missed it",
        widget=DATE,
        error_messages={"required": "Give the day you missed it.", "invalid": "Give the day you missed it as a date."},
    )

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day < EARLIEST_DAY:  # kept as a dose at noon that day, whose time the service would name
            raise ValidationError(f"The day you missed it can't be before {EARLIEST_DAY:%-d %B %Y}.")
        return day


class EffectForm(forms.Form):
    effect = forms.ChoiceField(choices=choices(vocab.EFFECTS))


class TookForm(forms.Form):
    """Today's one tap: the dose's id (a new one per tap) and, from the phone, the moment of the tap (one without an
    offset is read on the patient's `clock`)."""

    id = forms.UUIDField()
    taken_at = LocalDateTimeField(required=False)

    def __init__(self, data: QueryDict, *, clock: Clock) -> None:
        super().__init__(data)
        taken_at = self.fields["taken_at"]
        assert isinstance(taken_at, LocalDateTimeField)
        taken_at.clock = clock
