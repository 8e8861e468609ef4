"""{{ moment|at:"time" }}: a date or time of the diary as a <time> element, written in a neutral form ("14:05",
"Wednesday 2 December") that static/js/localtime.js rewrites in the phone's habits (12- or 24-hour clock, the
order of day and month). The kinds are those of `FORMATS` in static/js/util.js."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from diary.clock import span_words

register = template.Library()

NEUTRAL = {
    "time": "%H:%M",
    "day": "%A %-d %B",
    "day-year": "%A %-d %B %Y",
    "short-day": "%a %-d %b",
    "moment": "%a %-d %b, %H:%M",
    "day-time": "%A %-d %B, %H:%M",
    "short-day-year": "%a %-d %b %Y",
    "moment-year": "%a %-d %b %Y, %H:%M",
    "day-time-year": "%A %-d %B %Y, %H:%M",
}
# A moment of another year than the patient's today says its year ("Sun 20 Dec 2026, 00:53", read in 2027): a link
# that expired last December, a dose or an episode of last year.
WITH_YEAR = {"short-day": "short-day-year", "moment": "moment-year", "day-time": "day-time-year"}


@register.filter
def at(value: dt.datetime | dt.date | None, kind: str = "time") -> SafeString | str:
    """An aware time in the page's active zone (the patient's), or a date, as a localisable <time>; with its year when
    it is not of this year in that zone."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        wall = timezone.localtime(value) if timezone.is_aware(value) else value
    else:
        wall = dt.datetime.combine(value, dt.time(12))
    if kind in WITH_YEAR and wall.year != timezone.localdate().year:
        kind = WITH_YEAR[kind]
    return format_html(
        '<time datetime="{}" data-format="{}">{}</time>', f"{wall:%Y-%m-%dT%H:%M}", kind, f"{wall:{NEUTRAL[kind]}}"
    )


@register.filter
def span(first: dt.date, last: dt.date) -> str:
    """{{ first|span:last }}: a period, '3 Sep – 1 Dec 2026', in the words of the physician report (`span_words`), so
    that Trends, the Report page and the report say a period alike. Not rewritten in the phone's habits: with the
    month in words it reads one way only; and Trends, whose only date is its period, makes no date formatter at all
    (the first costs a phone 35 ms: docs/benchmarks.md#web)."""
    return span_words(first, last)
