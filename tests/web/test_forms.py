"""web.forms.TextBox: a line break is one character, as the box shows and counts it. A browser posts each break as
CR LF, so a text at a box's limit, on several lines, is taken on every form with a box, and kept with LF breaks."""

import datetime as dt

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError

from diary.models import MAX_NOTES
from report.models import MAX_QUESTIONS, ShareLink
from treatments.models import Treatment
from web.forms import TextBox

NOW = dt.datetime(2026, 6, 10, 12, tzinfo=dt.UTC)


def posted_at(limit: int) -> str:
    """A text of `limit` characters on ten lines, as a browser posts it (CR LF): ten characters more than that."""
    lines = "\r\n".join(["x" * 99] * 10)  # 990 and 9 breaks
    return lines + "y" * (limit - 999)


def test_a_break_is_one_character_and_the_limit_counts_it_so():
    assert TextBox().clean("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"
    text = posted_at(1000)
    assert len(text) == 1009 and len(TextBox(max_length=1000).clean(text)) == 1000
    assert TextBox(max_length=1000).widget.attrs["maxlength"] == "1000"  # the box's own limit, counted as the field's
    with pytest.raises(ValidationError, match="it has 1009"):  # what a plain field refused
        forms.CharField(max_length=1000, widget=forms.Textarea).clean(text)
    assert TextBox(required=False).clean("") == ""


@time_machine.travel(NOW, tick=False)
def test_the_questions_for_the_doctor_at_their_limit_are_taken(web):
    questions = posted_at(MAX_QUESTIONS)
    data = {"first": "2026-01-01", "last": "2026-03-31", "days": "30", "questions": questions}
    assert web.post("/report/share/", data).status_code == 302
    link = ShareLink.objects.get()
    assert link.questions == questions.replace("\r\n", "\n") and len(link.questions) == MAX_QUESTIONS


@time_machine.travel(NOW, tick=False)
def test_a_treatments_notes_at_their_limit_are_taken(web):
    notes = posted_at(MAX_NOTES)
    data = {"name": "Pregabalin", "schedule": "regular", "dose_amount": "75", "dose_unit": "mg", "times_per_day": "2"}
    response = web.post("/treatments/add/", data | {"started_on": "2026-06-01", "notes": notes})
    assert response.status_code == 302, response.content.decode()[:500]
    assert Treatment.objects.get().notes == notes.replace("\r\n", "\n")
