"""The report page's forms: questions for the doctor (printed on page 1) and the share link."""

from __future__ import annotations

from django import forms

from report import sharing
from report.models import MAX_QUESTIONS
from web.forms import TextBox


class QuestionsForm(forms.Form):
    questions = TextBox(
        label="Questions for my doctor (optional, printed on page 1)", required=False, max_length=MAX_QUESTIONS
    )  # the box's maxlength: Django's, from max_length


class ShareForm(QuestionsForm):
    first = forms.DateField(label="Start date", widget=forms.HiddenInput)
    last = forms.DateField(label="End date", widget=forms.HiddenInput)
    days = forms.IntegerField(
        label=f"Link works for (days, up to {sharing.MAX_DAYS})",
        min_value=1,
        max_value=sharing.MAX_DAYS,
        initial=sharing.DEFAULT_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
