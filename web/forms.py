"""Form fields the apps' forms share."""

from __future__ import annotations

from typing import Any

from django import forms


class TextBox(forms.CharField):
    """Text typed in a box of several lines, kept with each line break as one character, as the box shows it, as its
    `maxlength` counts it and as the API sends it. A browser posts every break as CR LF (HTML's form submission): a
    limit counted on that would refuse a text the box let through, ten characters over on ten lines."""

    def __init__(self, *, rows: int = 3, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)  # None only where the field's empty value is None
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text
