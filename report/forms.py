"""The share-link form."""

from django import forms

from report import sharing


class ShareForm(forms.Form):
    first = forms.DateField(label="Start date", widget=forms.HiddenInput)
    last = forms.DateField(label="End date", widget=forms.HiddenInput)
    days = forms.IntegerField(
        label=f"Link works for (days, up to {sharing.MAX_DAYS})",
        min_value=1,
        max_value=sharing.MAX_DAYS,
        initial=sharing.DEFAULT_DAYS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
