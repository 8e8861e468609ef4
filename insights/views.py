"""The Trends page: how often, how bad, how long, when, after what and where, for a period of the diary."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from diary import hooks, services
from insights import charts, periods, trends
from web.http import PatientRequest


def _history_link(last: dt.date, unit: str) -> charts.Href:
    """A function from a day or week of the Trends charts to that day's or week's History."""
    base, span = reverse("history"), dt.timedelta(days=0 if unit == trends.DAY else 6)

    def href(bucket: trends.Week) -> str:
        return f"{base}?from={bucket.start:%Y-%m-%d}&to={min(bucket.start + span, last):%Y-%m-%d}"

    return href


@login_required
def trends_page(request: PatientRequest) -> HttpResponse:
    clock = services.clock_of(request.user)
    form, period = periods.page_period(request.user, clock, request.GET)
    context = {"form": form, "ranges": trends.RANGES, "choice": form.data.get("range")}
    if period is None:
        return render(request, "insights/trends.html", context, status=400)
    data = periods.trends_of(request.user, clock.zone, period)
    marks = hooks.marks_for(request.user, data.first, data.last)
    bands = hooks.bands_for(request.user, data.first, data.last)
    return render(
        request,
        "insights/trends.html",
        context
        | {
            "choice": form.selection()[0],
            "trends": data,
            "period": period,
            "marks": marks,
            "bands": bands,
            "drawing": periods.drawing_of(data, period, _history_link(data.last, data.unit), marks, bands),
        },
    )
