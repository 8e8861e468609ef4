"""The patient's Report page and downloads, and the physician's read-only shared report."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from diary import trends
from diary.facts import period_for
from diary.forms import TrendRangeForm
from diary.http import PatientRequest
from diary.services import profile_of
from report import content, sharing
from report.csv_export import episodes_csv
from report.fhir_export import fhir_bundle
from report.forms import ShareForm
from report.models import ShareLink
from report.pdf import render_pdf, report_context

FORMATS = {"pdf", "csv", "fhir"}


def _period(request: PatientRequest) -> tuple[TrendRangeForm, tuple[dt.date, dt.date] | None]:
    """The period asked for (default: the last 3 months), or the invalid form."""
    zone = profile_of(request.user).zone
    form = TrendRangeForm(request.GET or {"range": trends.DEFAULT_RANGE}, today=timezone.localdate(timezone=zone))
    if not form.is_valid():
        return form, None
    return form, period_for(request.user, zone, *form.selection())


def download_response(report: content.Report, patient_id: int, what: str, paper: str = "a4") -> HttpResponse:
    name = f"numbness-report-{report.first}-{report.last}"
    if what == "csv":
        response = HttpResponse(episodes_csv(report.episodes), content_type="text/csv; charset=utf-8")
        filename = f"{name}.csv"
    elif what == "fhir":
        body = json.dumps(fhir_bundle(report, patient_id), indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
        filename = f"{name}.fhir.json"
    else:
        response = HttpResponse(render_pdf(report, paper), content_type="application/pdf")
        filename = f"{name}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def report_page(request: PatientRequest) -> HttpResponse:
    form, period = _period(request)
    context: dict[str, Any] = {"form": form, "ranges": trends.RANGES}
    context["links"] = request.user.share_links.prefetch_related("accesses")
    context["new_share_url"] = request.session.pop("new_share_url", None)
    if period is None:
        return render(request, "report/page.html", context, status=400)
    report = content.build(request.user, *period)
    context |= report_context(report) | {
        "query": request.GET.urlencode(),
        "choice": form.cleaned_data["range"],
        "share_form": ShareForm(initial={"first": report.first, "last": report.last}),
    }
    return render(request, "report/page.html", context)


@login_required
@require_GET
def download(request: PatientRequest, what: str) -> HttpResponse:
    form, period = _period(request)
    if what not in FORMATS or period is None:
        return HttpResponse("Unknown format or period.", status=400, content_type="text/plain")
    report = content.build(request.user, *period)
    return download_response(report, request.user.pk, what, request.GET.get("paper", "a4"))


@login_required
@require_POST
def share_create(request: PatientRequest) -> HttpResponse:
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            new = sharing.create_link(patient=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            url = request.build_absolute_uri(reverse("shared-report", args=[new.token]))
            request.session["new_share_url"] = url  # shown once on the next page
            messages.success(request, "Link created. Copy it now: it is shown only once.")
    else:
        messages.error(request, " ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items()))
    return redirect("report")


@login_required
@require_POST
def share_revoke(request: PatientRequest, link_id: int) -> HttpResponse:
    if sharing.revoke(patient=request.user, link_id=link_id):
        messages.success(request, "Link revoked: it no longer opens.")
    return redirect("report")


SharedView = Callable[[HttpRequest, ShareLink, content.Report, str], HttpResponse]


def shared(what: str) -> Callable[[SharedView], Callable[..., HttpResponse]]:
    """Resolve the token of a shared-report URL, log the access, and pass the report on.

    Wrong, expired and revoked tokens all get the same 404; an address that guessed too often
    gets 429. Shared responses are never cached and send no referrer.
    """

    def decorate(view: SharedView) -> Callable[..., HttpResponse]:
        @require_GET
        @functools.wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            address = request.META.get("REMOTE_ADDR", "")
            if sharing.blocked(address):
                return render(request, "report/shared_missing.html", {"slow_down": True}, status=429)
            link = sharing.resolve(token, address, what)
            if link is None:
                return render(request, "report/shared_missing.html", status=404)
            response = view(request, link, content.build(link.patient, link.first, link.last), token)
            response["Cache-Control"] = "no-store"
            response["Referrer-Policy"] = "no-referrer"
            return response

        return wrapper

    return decorate


@shared("page")
def shared_report(request: HttpRequest, link: ShareLink, report: content.Report, token: str) -> HttpResponse:
    return render(request, "report/shared.html", report_context(report) | {"link": link, "token": token})


@shared("pdf")
def shared_pdf(request: HttpRequest, link: ShareLink, report: content.Report, token: str) -> HttpResponse:
    return download_response(report, link.patient_id, "pdf", request.GET.get("paper", "a4"))
