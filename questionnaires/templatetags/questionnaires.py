"""{% questionnaire_panels trends.first trends.last as panels %}: each instrument's scores for the Trends slot."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.contrib.auth.models import User
from django.utils.safestring import SafeString

from diary.services import clock_of
from questionnaires.chart import caption, score_chart, score_table
from questionnaires.instruments import INSTRUMENTS, Instrument
from questionnaires.scores import Trend, trends

register = template.Library()


@dataclass(frozen=True)
class Panel:
    instrument: Instrument
    trend: Trend | None  # None: never answered
    chart: SafeString | None  # None: no answer in the period
    table: SafeString | None
    caption: str


@register.simple_tag(takes_context=True)
def questionnaire_panels(context: template.Context, first: dt.date, last: dt.date) -> list[Panel]:
    """One panel per instrument: its scores in first…last, or an invitation when it was never answered."""
    user = context["request"].user
    assert isinstance(user, User)
    found = {t.instrument.id: t for t in trends(user, clock_of(user).zone, first, last)}
    panels = []
    for key, definition in INSTRUMENTS.items():
        trend = found.get(key)
        if trend is None:
            panels.append(Panel(definition, None, None, None, ""))
        elif not trend.scores:
            panels.append(Panel(definition, trend, None, None, caption(trend)))
        else:
            panels.append(Panel(definition, trend, score_chart(trend), score_table(trend.scores), caption(trend)))
    return panels
