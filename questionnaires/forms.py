"""The answer page's form: one yes/no choice per item of an instrument, the response's id and when it was completed."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.forms import BoundField
from django.http import QueryDict

from diary.clock import Clock
from diary.forms import LocalDateTimeField
from questionnaires.instruments import BOOLEAN, Instrument, Item

YES, NO = "yes", "no"
CHOICES = [(YES, "Yes"), (NO, "No")]
MISSING = "Answer yes or no."


def field_name(item: Item) -> str:
    return f"item_{item.link_id}"


class AnswersForm(forms.Form):
    """`id` is the client's UUID (fresh each time the page is shown); `completed_at` is the moment of the tap, set
    by static/js/questionnaire.js with the phone's offset, so that an answer sent later from the offline queue keeps
    its time. Without JavaScript it is empty: the moment the server receives it."""

    id = forms.UUIDField(widget=forms.HiddenInput)
    completed_at = LocalDateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(self, data: QueryDict | None = None, *, instrument: Instrument, clock: Clock, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.instrument = instrument
        completed_at = self.fields["completed_at"]
        assert isinstance(completed_at, LocalDateTimeField)
        completed_at.clock, completed_at.label_text = clock, "The completion time"
        for item in instrument.items:
            assert item.answer_type == BOOLEAN  # the only answer type so far; another needs its own field here
            self.fields[field_name(item)] = forms.ChoiceField(
                choices=CHOICES, label=item.text, widget=forms.RadioSelect, error_messages={"required": MISSING}
            )

    @classmethod
    def blank(cls, instrument: Instrument, clock: Clock) -> AnswersForm:
        return cls(instrument=instrument, clock=clock, initial={"id": uuid.uuid4()})

    def items(self) -> list[tuple[Item, BoundField]]:
        """Each item with its bound field, in the instrument's order (the template draws the choices itself)."""
        return [(item, self[field_name(item)]) for item in self.instrument.items]

    def missing(self) -> list[str]:
        """The numbers of the items left unanswered, for the summary above the form."""
        return [item.link_id for item in self.instrument.items if field_name(item) in self.errors]

    def answers(self) -> dict[str, bool]:
        return {item.link_id: self.cleaned_data[field_name(item)] == YES for item in self.instrument.items}

    def completed(self, now: dt.datetime) -> dt.datetime:
        moment: dt.datetime | None = self.cleaned_data.get("completed_at")
        return moment or now
