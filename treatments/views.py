"""The Treatments pages: the list, adding one, a treatment's page, a new dose, stopping; and the taps from Today."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from diary.clock import Clock
from diary.services import clock_of
from diary.templatetags.moments import at
from treatments import cards, services, vocab
from treatments.facts import TreatmentFacts, load_treatments, treatment_facts
from treatments.forms import (
    AddTreatmentForm,
    ChangeDoseForm,
    DetailsForm,
    EffectForm,
    MissedDayForm,
    StopForm,
    TookForm,
    show_errors,
)
from treatments.models import Dose, Treatment
from treatments.overview import summary_of
from web.http import NotYours, PatientRequest, found, wants_json

RECENT_DOSES = 20


def _treatment(request: PatientRequest, treatment_id: uuid.UUID) -> Treatment:
    treatments = Treatment.objects.filter(patient=request.user, id=treatment_id).prefetch_related("courses")
    return found(treatments, services.NO_SUCH_TREATMENT)


def _back(request: PatientRequest, default: str) -> str:
    """Where a small form came from (its `next`), when that is a page of this site."""
    back = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure())
    return back if safe and back.startswith("/") else default


@login_required
def treatments_page(request: PatientRequest) -> HttpResponse:
    every = load_treatments(request.user)
    current = [t for t in every if t.current is not None]
    stopped = [t for t in every if t.current is None]
    return render(request, "treatments/list.html", {"current": current, "stopped": stopped})


@login_required
def add_treatment(request: PatientRequest) -> HttpResponse:
    today = clock_of(request.user).today()
    form = AddTreatmentForm(request.POST or None, initial={"started_on": today, "times_per_day": "1"})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_treatment(patient=request.user, treatment_id=None, **form.service_arguments())
        except ValidationError as e:
            show_errors(form, e)
        else:
            treatment = saved.row
            course = treatment.courses.get()
            messages.success(request, f"Added {treatment.name}: {course.dose_words}, since {course.started_on:%-d %b}.")
            return redirect("treatment", treatment.id)
    context = {"form": form, "suggestions": vocab.SUGGESTIONS.values()}
    return render(request, "treatments/add.html", context, status=400 if form.errors else 200)


@login_required
def treatment_page(request: PatientRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = _treatment(request, treatment_id)
    clock = clock_of(request.user)
    summary = summary_of(request.user, str(treatment.id), clock.today())
    recent = [
        (dose, _what(dose, summary.treatment, clock))
        for dose in treatment.doses.order_by("-taken_at", "id")[:RECENT_DOSES]
    ]
    context = {
        "treatment": treatment,
        "facts": summary.treatment,
        "summary": summary,
        "courses": list(treatment.courses.order_by("-started_on")),
        "recent": recent,
        "missed_form": MissedDayForm(initial={"day": clock.today()}),
        "effects": vocab.EFFECTS.values(),
        "today": clock.today(),
        "new_dose_id": uuid.uuid4(),
    }
    return render(request, "treatments/detail.html", context)


def _what(dose: Dose, facts: TreatmentFacts, clock: Clock) -> str:
    """ "Missed", "400 mg", "Taken": a logged dose in words, its amount in the unit of that day's course."""
    if dose.status == vocab.MISSED:
        return "Missed"
    course = facts.course_on(clock.local(dose.taken_at).date())
    amount = dose.amount if dose.amount is not None else (course.dose_amount if course else None)
    if amount is None:
        return "Taken"
    return vocab.amount_words(amount, course.dose_unit if course else "")


@login_required
def change_dose(request: PatientRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = _treatment(request, treatment_id)
    facts = treatment_facts(treatment)
    today = clock_of(request.user).today()
    current = facts.current
    initial: dict[str, Any] = {"started_on": today}
    if facts.courses:
        last = facts.courses[-1]
        amount = vocab.amount_number(last.dose_amount) if last.dose_amount is not None else None
        initial |= {"dose_amount": amount, "dose_unit": last.dose_unit, "times_per_day": last.times_per_day}
    form = ChangeDoseForm(request.POST or None, initial=initial, schedule=treatment.schedule)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_dose(
                patient=request.user, treatment_id=treatment.id, on=form.cleaned_data["started_on"], **form.dose()
            )
        except ValidationError as e:
            show_errors(form, e)
        else:
            treatment = _treatment(request, treatment_id)
            latest = treatment.courses.order_by("-started_on").first()
            assert latest is not None
            verb = "New dose" if current else "Started again"
            messages.success(request, f"{verb}: {treatment.name} {latest.dose_words} from {latest.started_on:%-d %b}.")
            return redirect("treatment", treatment.id)
    context = {"treatment": treatment, "form": form, "current": current, "status": cards.status_words(facts)}
    return render(request, "treatments/change_dose.html", context, status=400 if form.errors else 200)


@login_required
def stop_treatment(request: PatientRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = _treatment(request, treatment_id)
    facts = treatment_facts(treatment)
    if facts.current is None:
        messages.error(request, f"{treatment.name} is stopped already.")
        return redirect("treatment", treatment.id)
    today = clock_of(request.user).today()
    form = StopForm(request.POST or None, initial={"last_day": today}, courses=facts.courses, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.stop_treatment(
                patient=request.user,
                treatment_id=treatment.id,
                stopped_on=form.stopped_on(),
                reason=form.cleaned_data["stop_reason"],
            )
        except ValidationError as e:
            show_errors(form, e, StopForm.RENAMED)
        else:
            messages.success(request, f"Stopped {treatment.name}: last taken {form.cleaned_data['last_day']:%-d %b}.")
            return redirect("treatment", treatment.id)
    context = {"treatment": treatment, "form": form, "facts": facts}
    return render(request, "treatments/stop.html", context, status=400 if form.errors else 200)


@login_required
def edit_treatment(request: PatientRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = _treatment(request, treatment_id)
    initial = {"name": treatment.name, "kind": treatment.kind, "notes": treatment.notes}
    form = DetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_details(patient=request.user, treatment_id=treatment.id, **form.cleaned_data)
        except ValidationError as e:
            show_errors(form, e)
        else:
            messages.success(request, "Saved.")
            return redirect("treatment", treatment.id)
    context = {"treatment": treatment, "form": form}
    return render(request, "treatments/edit.html", context, status=400 if form.errors else 200)


@login_required
def delete_treatment(request: PatientRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = _treatment(request, treatment_id)
    if request.method == "POST":
        services.delete_treatment(patient=request.user, treatment_id=treatment.id)
        messages.success(request, f"Deleted {treatment.name} and everything logged with it.")
        return redirect("treatments")
    uses = treatment.doses.count()
    # "Stop it instead" only for one taken now: a stopped one has nothing to stop (the stop page would say so).
    stoppable = treatment_facts(treatment).current is not None
    context = {"treatment": treatment, "uses": uses, "stoppable": stoppable}
    return render(request, "treatments/confirm_delete.html", context)


@login_required
@require_POST
def missed_day(request: PatientRequest, treatment_id: uuid.UUID) -> HttpResponse:
    treatment = _treatment(request, treatment_id)
    form = MissedDayForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        services.log_missed_day(patient=request.user, treatment_id=treatment.id, day=form.cleaned_data["day"])
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"Noted: {treatment.name} missed on {form.cleaned_data['day']:%-d %b}.")
    return redirect("treatment", treatment.id)


def _refused(request: PatientRequest, error: ValidationError) -> HttpResponse:
    """A small form's refusal: to the offline queue in JSON (it drops the entry and says so), else as a message."""
    if wants_json(request):
        return JsonResponse({"errors": error.messages}, status=400)
    messages.error(request, " ".join(error.messages))
    return redirect(_back(request, reverse("today")))


@login_required
@require_POST
def took_it(request: PatientRequest, treatment_id: uuid.UUID) -> HttpResponse:
    """Today's one tap for a treatment taken when needed; through the offline queue, by the dose's client UUID."""
    form = TookForm(request.POST, clock=clock_of(request.user))
    try:
        treatment = _treatment(request, treatment_id)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        taken_at = form.cleaned_data["taken_at"] or timezone.now()
        saved = services.save_dose(
            patient=request.user, dose_id=form.cleaned_data["id"], treatment_id=treatment.id, taken_at=taken_at
        )
    except NotYours:
        raise Http404(services.NO_SUCH_DOSE) from None
    except ValidationError as e:
        return _refused(request, e)
    if wants_json(request):
        return JsonResponse(
            {"id": str(saved.row.id), "created": saved.created, "next": _back(request, reverse("today"))}
        )
    # The time as every page writes one, in the phone's habits (localtime.js), not the server's 24-hour clock.
    messages.success(request, format_html("Noted: {} at {}.", treatment.name, at(saved.row.taken_at, "time")))
    return redirect(_back(request, reverse("today")))


@login_required
@require_POST
def rate_effect(request: PatientRequest, dose_id: uuid.UUID) -> HttpResponse:
    form = EffectForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        dose = services.rate_dose(patient=request.user, dose_id=dose_id, effect=form.cleaned_data["effect"])
    except NotYours:
        raise Http404(services.NO_SUCH_DOSE) from None
    except ValidationError as e:
        return _refused(request, e)
    if wants_json(request):
        return JsonResponse({"next": _back(request, reverse("today"))})
    messages.success(request, f"Noted: {dose.treatment.name} {vocab.EFFECTS[dose.effect].label.lower()}.")
    return redirect(_back(request, reverse("treatment", args=[dose.treatment_id])))


@login_required
@require_POST
def delete_dose(request: PatientRequest, dose_id: uuid.UUID) -> HttpResponse:
    dose = found(
        Dose.objects.filter(treatment__patient=request.user, id=dose_id).select_related("treatment"),
        services.NO_SUCH_DOSE,
    )
    services.delete_dose(patient=request.user, dose_id=dose.id)
    messages.success(request, format_html("Removed: {} at {}.", dose.treatment.name, at(dose.taken_at, "time")))
    return redirect(_back(request, reverse("treatment", args=[dose.treatment_id])))
