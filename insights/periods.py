"""Periods of a patient's diary: the period a request asks for, its trend numbers and the Trends page's drawings.

The Trends page, the trends API and the report read the period from a query string the same way
(`period_form`, then `asked_period`); the two pages through `page_period`, whose "Choose dates" (a custom
period with no dates yet) shows the default range. The numbers (`trends_of`) and the page's charts, tables and
body map (`drawing_of`) are computed once per state of the diary: the cache key holds the patient,
time zone, period and the diary's stamp (counts and latest changes of episodes and check-ins), so
any save, edit or deletion computes afresh. A cache that does not answer (Redis down) costs only
the computation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils.safestring import SafeString

from diary import facts
from diary.clock import Clock
from diary.coverage import diary_state
from diary.hooks import Band, Mark
from insights import charts, heatmap, trends
from insights.forms import TrendRangeForm

log = logging.getLogger(__name__)

CACHE_VERSION = 6  # bump when the numbers, their labels or their drawings change shape
CACHE_SECONDS = 24 * 3600

# The query parameters of a period: the pages name custom dates start/end, the API from/to.
PAGE_PARAMETERS = {"range": "range", "start": "start", "end": "end"}
API_PARAMETERS = {"range": "range", "start": "from", "end": "to"}

T = TypeVar("T")


def period_form(
    query: Mapping[str, str], today: dt.date, parameters: Mapping[str, str] = PAGE_PARAMETERS
) -> TrendRangeForm:
    """The period form bound to a query string (no period asked for: the form's default range)."""
    return TrendRangeForm({field: query.get(name, "") for field, name in parameters.items()}, today=today)


@dataclass(frozen=True)
class Period:
    """The local dates a valid period form covers for one patient; `stamp` changes with every change of the diary."""

    first: dt.date
    last: dt.date
    place: str  # patient, zone and dates: where the period's numbers and drawings are kept
    stamp: str


def asked_period(patient: User, clock: Clock, form: TrendRangeForm) -> Period:
    """The dates of a valid period form, ending on the patient's today and starting no earlier than their diary."""
    choice, custom = form.selection()
    diary = diary_state(patient, clock.zone)
    first, last = trends.period(choice, clock.today(), diary.first, custom)
    return Period(first, last, f"{patient.pk}:{clock.zone}:{first}:{last}", diary.stamp)


def page_period(patient: User, clock: Clock, query: Mapping[str, str]) -> tuple[TrendRangeForm, Period | None]:
    """The period a page's query asks for (None: the form has a problem to show), and its period picker's form.

    The picker's "Choose dates" (a link: no date fields in its query) asks for a custom period with no dates yet:
    the page shows the default range, and the form holds its dates for the patient to change. The form sent with
    both fields emptied is asked for both, as the API asks.
    """
    if query.get("range") == trends.CUSTOM and "start" not in query and "end" not in query:
        default = period_form({}, clock.today())
        default.is_valid()
        shown = asked_period(patient, clock, default)
        query = {"range": trends.CUSTOM, "start": shown.first.isoformat(), "end": shown.last.isoformat()}
    form = period_form(query, clock.today())  # read after the default's: never a day before it, at midnight
    return (form, asked_period(patient, clock, form)) if form.is_valid() else (form, None)


def load_trends(patient: User, zone: dt.tzinfo, first: dt.date, last: dt.date) -> trends.Trends:
    """Trends for a patient's local dates first…last, in a fixed number of queries."""
    episodes = facts.load_facts(patient, zone, first, last)
    return trends.compute(episodes, facts.load_checkins(patient, first, last), first, last)


def trends_of(patient: User, zone: dt.tzinfo, period: Period) -> trends.Trends:
    """The period's trends, computed once per state of the diary."""
    return remembered(
        f"trends:{period.place}", period.stamp, lambda: load_trends(patient, zone, period.first, period.last)
    )


@dataclass(frozen=True)
class Drawing:
    """What the Trends page draws from the numbers: charts, their captions and data tables, the body map."""

    charts: dict[str, SafeString]
    captions: dict[str, str]
    tables: dict[str, SafeString]
    bodymap: SafeString
    region_rows: list[tuple[str, int]]
    heat_legend: list[heatmap.LegendStep]


def drawing_of(
    data: trends.Trends, period: Period, href: charts.Href, marks: list[Mark], bands: Sequence[Band] = ()
) -> Drawing:
    """The page's drawings of these trends, made once per state of the diary and set of marks and bands
    (diary.hooks)."""
    drawn = [(m["date"], m["title"]) for m in marks]

    def draw() -> Drawing:
        return Drawing(
            charts=charts.trends_charts(data, href=href, marks=drawn, bands=bands),
            captions=charts.captions(data),
            tables=charts.trends_tables(data, href=href),
            bodymap=heatmap.heat_svg(data.regions),
            region_rows=heatmap.region_rows(data.regions),
            heat_legend=heatmap.heat_legend(data.regions),
        )

    return remembered(f"trends-drawing:{period.place}", f"{period.stamp}:{drawn}:{list(bands)}", draw)


def remembered(place: str, stamp: str, make: Callable[[], T]) -> T:
    """`make()`, kept in the cache for a day under `place` with the `stamp` of what it was made from.

    A new stamp (the diary changed) makes it afresh and replaces the old one, so a diary edited every day keeps
    one copy per period, not one per edit. A cache that does not answer costs the computation (with Redis
    unreachable, also its one-second connect timeout).
    """
    key = f"periods:{CACHE_VERSION}:{hashlib.sha256(place.encode()).hexdigest()}"
    try:
        kept = cache.get(key)
    except Exception:  # noqa: BLE001 - any cache backend failure
        log.warning("Trends cache unavailable; computing.", exc_info=True)
        return make()
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == stamp:
        value: T = kept[1]
        return value
    value = make()
    try:
        cache.set(key, (stamp, value), CACHE_SECONDS)
    except Exception:  # noqa: BLE001
        log.warning("Trends cache unavailable; not kept.", exc_info=True)
    return value
