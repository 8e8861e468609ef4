"""The share-link form."""

from django import forms

from report import sharing


class ShareForm(forms.Form):
    first = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label="To", widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(
        label="Link works for (days)", min_value=1, max_value=sharing.MAX_DAYS, initial=sharing.DEFAULT_DAYS
    )
