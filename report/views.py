"""The patient's Report page and downloads, and the physician's read-only shared report."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from diary import services, zones
from diary.models import Profile
from diary.services import clock_of
from insights import periods, trends
from insights.forms import TrendRangeForm
from report import content, sharing
from report.csv_export import report_csv
from report.fhir_export import fhir_bundle, fhir_transaction
from report.forms import QuestionsForm, ShareForm
from report.models import ShareLink
from report.pdf import render_pdf, report_context
from web import throttles
from web.http import PatientRequest

FORMATS = {"pdf", "csv", "fhir", "fhir-transaction"}


def _period(request: PatientRequest) -> tuple[TrendRangeForm, tuple[dt.date, dt.date] | None]:
    """The period asked for (default: the last 3 months), or the invalid form."""
    form, period = periods.page_period(request.user, clock_of(request.user), request.GET)
    return form, None if period is None else (period.first, period.last)


def download_response(report: content.Report, what: str, paper: str = "a4") -> HttpResponse:
    name = f"numbness-report-{report.requested[0]}-{report.requested[1]}"
    if what == "csv":
        response = HttpResponse(report_csv(report), content_type="text/csv; charset=utf-8")
        filename = f"{name}.csv"
    elif what in ("fhir", "fhir-transaction"):
        bundle = fhir_bundle(report) if what == "fhir" else fhir_transaction(report)
        body = json.dumps(bundle, indent=2, ensure_ascii=False)
        response = HttpResponse(body, content_type="application/fhir+json; charset=utf-8")
        filename = f"{name}.{'fhir' if what == 'fhir' else 'fhir-transaction'}.json"
    else:
        response = HttpResponse(render_pdf(report, paper), content_type="application/pdf")
        filename = f"{name}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The questions typed for a link just created, shown again in the form on the next page (a PDF made next has them).
KEPT_QUESTIONS = "report_questions"


@login_required
def report_page(request: PatientRequest) -> HttpResponse:
    return _page(request)


def _page(request: PatientRequest, share_form: ShareForm | None = None) -> HttpResponse:
    """The Report page; `share_form`: the link form as posted, when it is shown again with its problem."""
    form, period = _period(request)
    context: dict[str, Any] = {"form": form, "ranges": trends.RANGES, "choice": form.data.get("range")}
    context["links"] = request.user.share_links.prefetch_related("accesses")
    context["new_share_url"] = request.session.pop("new_share_url", None)
    if period is None:
        return render(request, "report/page.html", context, status=400)
    report = content.build(request.user, *period)
    first, last = report.requested
    context |= {
        "report": report,  # the page summarises; the charts are drawn for the PDF and the shared page only
        "query": request.GET.urlencode(),
        "choice": form.cleaned_data["range"],
        "share_form": ShareForm(
            initial={"first": first, "last": last, "questions": request.session.pop(KEPT_QUESTIONS, "")}
        )
        if share_form is None
        else share_form,
        "paper": _usual_paper(request, services.profile_of(request.user).timezone),
    }
    return render(request, "report/page.html", context)


def _usual_paper(request: HttpRequest, zone: str) -> str:
    """US Letter where the patient's country uses it (their time zone, else the browser's language), else A4."""
    return zones.paper_for(zone, request.headers.get("Accept-Language", ""))


def _zone_of(patient_id: int) -> str:
    return Profile.objects.filter(user_id=patient_id).values_list("timezone", flat=True).first() or ""


def _problems(form: forms.Form) -> str:
    """A refused form's errors in one line, each after the name of its field ("end: The end date is before…")."""
    return " ".join(
        " ".join(map(str, errors)) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(map(str, errors))}"
        for name, errors in form.errors.items()
    )


@login_required
@require_http_methods(["GET", "POST"])
def download(request: PatientRequest, what: str) -> HttpResponse:
    """GET: any format. POST (the report page's form): the PDF with the patient's questions on page 1."""
    form, period = _period(request)
    if what not in FORMATS:
        return HttpResponse("Unknown format.", status=400, content_type="text/plain")
    questions = QuestionsForm(request.POST or None)
    if period is None or (request.method == "POST" and not questions.is_valid()):
        refused = form if period is None else questions
        return HttpResponse(_problems(refused), status=400, content_type="text/plain; charset=utf-8")
    text = questions.cleaned_data["questions"] if request.method == "POST" else ""
    report = content.build(request.user, *period, questions=text)
    paper = request.POST.get("paper") or request.GET.get("paper")
    paper = paper or _usual_paper(request, services.profile_of(request.user).timezone)
    return download_response(report, what, paper)


@login_required
@require_POST
def share_create(request: PatientRequest) -> HttpResponse:
    form = ShareForm(request.POST)
    if form.is_valid():
        try:
            new = sharing.create_link(patient=request.user, **form.cleaned_data)
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            url = request.build_absolute_uri(reverse("shared-report", args=[new.token]))
            request.session["new_share_url"] = url  # shown once on the next page
            request.session[KEPT_QUESTIONS] = form.cleaned_data.get("questions", "")
            messages.success(request, "Link created. Copy it now: it is shown only once.")
            return redirect("report")
    # Nothing was created: the Report page again, with the problem named and what was typed kept, as a 400.
    messages.error(request, "No link was created. " + " ".join(_named_errors(form)))
    response = _page(request, share_form=form)
    response.status_code = 400
    return response


def _named_errors(form: ShareForm) -> list[str]:
    return [
        f"{form.fields[field].label}: {' '.join(map(str, errors))}"
        if field in form.fields
        else " ".join(map(str, errors))
        for field, errors in form.errors.items()
    ]


@login_required
@require_POST
def share_revoke(request: PatientRequest, link_id: int) -> HttpResponse:
    if sharing.revoke(patient=request.user, link_id=link_id):
        messages.success(request, "Link revoked: it no longer opens.")
    return redirect("report")


SharedView = Callable[[HttpRequest, ShareLink, content.Report, str], HttpResponse]


def shared(what: str) -> Callable[[SharedView], Callable[..., HttpResponse]]:
    """Resolve the token of a shared-report URL, log the access, and pass the report on.

    Wrong, expired and revoked tokens all get the same 404, and each is counted against the
    client's address: past RATE_LIMITS["share-miss-address"] a wrong token gets 429 until the
    window passes, while a valid token always opens. Shared responses are never cached and send
    no referrer.
    """

    def decorate(view: SharedView) -> Callable[..., HttpResponse]:
        @require_GET
        @functools.wraps(view)
        def wrapper(request: HttpRequest, token: str) -> HttpResponse:
            link = sharing.resolve(token, what)
            if link is None:
                address = throttles.client_address(request)
                if wait := throttles.count(request, "share-miss-address", address):
                    return throttles.throttled_response(
                        request, wait, "wrong links", template="report/shared_missing.html"
                    )
                return render(request, "report/shared_missing.html", status=404)
            report = content.build(link.patient, link.first, link.last, questions=link.questions)
            response = view(request, link, report, token)
            response["Cache-Control"] = "no-store"
            response["Referrer-Policy"] = "no-referrer"
            return response

        return wrapper

    return decorate


@shared("page")
def shared_report(request: HttpRequest, link: ShareLink, report: content.Report, token: str) -> HttpResponse:
    paper = _usual_paper(request, _zone_of(link.patient_id))
    return render(
        request, "report/shared.html", report_context(report) | {"link": link, "token": token, "paper": paper}
    )


@shared("pdf")
def shared_pdf(request: HttpRequest, link: ShareLink, report: content.Report, token: str) -> HttpResponse:
    return download_response(
        report, "pdf", request.GET.get("paper") or _usual_paper(request, _zone_of(link.patient_id))
    )
