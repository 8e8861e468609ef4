"""{{ field|described }}: a form field's input, tied to its help text and its error message, so that a screen
reader says why a field is marked when it gets focus (the message is drawn above the input)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def described(field: BoundField) -> SafeString:
    """The widget with aria-describedby naming its help text and error (ids as templates/diary/_field.html draws
    them) besides any the form set, and aria-invalid while it has an error."""
    ids = str(field.field.widget.attrs.get("aria-describedby", "")).split()
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    attrs: dict[str, str | bool] = {}
    if field.errors:
        ids.append(f"{field.name}-error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(dict.fromkeys(ids))
    return SafeString(field.as_widget(attrs=attrs))
