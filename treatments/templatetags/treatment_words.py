"""Template words of the treatments' pages and slots: doses, stop reasons, comparisons, the Trends cards."""

from __future__ import annotations

from typing import Any

from django import template

from diary.services import clock_of
from treatments import cards, comparison, vocab
from treatments.facts import CourseFacts, TreatmentFacts

register = template.Library()


@register.filter
def dose_of(treatment: TreatmentFacts, course: CourseFacts) -> str:
    return treatment.dose_words(course)


@register.filter
def status(treatment: TreatmentFacts) -> str:
    """ "75 mg twice a day since 3 Jan 2026", "stopped: last taken 5 Mar 2026 (75 mg twice a day)"."""
    return cards.status_words(treatment)


@register.filter
def stop_reason(code: str) -> str:
    term = vocab.STOP_REASONS.get(code)
    return term.label if term else ""


@register.filter
def headline(found: comparison.Comparison) -> str:
    return comparison.headline(found)


@register.filter
def rows(found: comparison.Comparison) -> list[tuple[str, str, str]]:
    return comparison.rows(found)


@register.filter
def window_titles(found: comparison.Comparison) -> tuple[str, str]:
    return comparison.window_titles(found)


@register.filter
def notes(found: comparison.Comparison) -> list[str]:
    return comparison.notes(found)


@register.simple_tag(takes_context=True)
def trends_cards(context: template.Context, trends: Any) -> list[cards.Card]:
    """The Trends slot's cards for the page's period (`trends`, the page's numbers; `period`, with the diary's
    stamp, when the page gives it)."""
    request = context.get("request")
    if trends is None or request is None or not request.user.is_authenticated:
        return []
    period = context.get("period")
    diary_stamp = getattr(period, "stamp", None)
    return cards.trends_cards(request.user, trends.first, trends.last, clock_of(request.user).today(), diary_stamp)


@register.simple_tag(takes_context=True)
def log_choices(context: template.Context, form: Any, editing: Any) -> cards.LogChoices:
    """The log slot's treatments, ticked as posted or as linked to the episode being edited."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return cards.LogChoices([])
    posted = form.data.getlist("took") if form is not None and form.is_bound else None
    return cards.log_choices(request.user, str(editing.id) if editing else None, posted)
