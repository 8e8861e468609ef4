"""The period form of the Trends page, the trends API and the report."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from diary.models import validate_query_day
from insights import trends


class TrendRangeForm(forms.Form):
    """The period of the Trends page, the trends API and the report: a named range or custom dates."""

    range = forms.ChoiceField(
        choices=[(key, label) for key, (label, _) in trends.RANGES.items()] + [(trends.CUSTOM, "Custom")],
        required=False,
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_query_day]
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_query_day]
    )

    MAX_DAYS = 366 * 10

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name in ("start", "end"):  # the phone's date picker offers no day after today (the form refuses one)
            self.fields[name].widget.attrs["max"] = today.isoformat()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") or data.get("end"):
            data["range"] = trends.CUSTOM
        data["range"] = data.get("range") or trends.DEFAULT_RANGE
        if data["range"] == trends.CUSTOM:
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
        return data["range"], (data["start"], data["end"]) if data["range"] == trends.CUSTOM else None
