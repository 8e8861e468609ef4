"""The questionnaire pages: the answer page, the result, "not now" on Today's offer, and deleting a response."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from diary.services import clock_of
from questionnaires import services
from questionnaires.forms import AnswersForm
from questionnaires.instruments import INSTRUMENTS, Instrument, instrument, standing
from questionnaires.reporting import answer_sheet
from questionnaires.scores import change_words, previous
from web.http import NotYours, PatientRequest, wants_json


def _current(questionnaire: str) -> Instrument:
    found = INSTRUMENTS.get(questionnaire)
    if found is None:
        raise Http404("No such questionnaire.")
    return found


def _answer_page(request: PatientRequest, form: AnswersForm, status: int = 200) -> HttpResponse:
    return render(request, "questionnaires/answer.html", {"form": form, "instrument": form.instrument}, status=status)


@login_required
def answer(request: PatientRequest, questionnaire: str) -> HttpResponse:
    """GET: the questions on one page. POST: save the answers (the offline queue posts here too, asking for JSON)."""
    definition = _current(questionnaire)
    clock = clock_of(request.user)
    if request.method != "POST":
        return _answer_page(request, AnswersForm.blank(definition, clock))
    form = AnswersForm(request.POST, instrument=definition, clock=clock)
    if form.is_valid():
        try:
            saved = services.save_response(
                patient=request.user,
                response_id=form.cleaned_data["id"],
                instrument=definition,
                completed_at=form.completed(timezone.now()),
                answers=form.answers(),
            )
        except NotYours:
            raise Http404(services.NO_SUCH_RESPONSE) from None
        except ValidationError as e:
            form.add_error(None, [message for messages_ in e.message_dict.values() for message in messages_])
        else:
            result = reverse("questionnaire-result", args=[saved.response.id])
            if wants_json(request):
                return JsonResponse({"id": str(saved.response.id), "created": saved.created, "next": result})
            return redirect(result)
    if wants_json(request):  # the offline queue drops it and shows the page with the messages
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return _answer_page(request, form, status=400)


@login_required
def result(request: PatientRequest, response_id: uuid.UUID) -> HttpResponse:
    response = get_object_or_404(request.user.questionnaire_responses, id=response_id)
    answered = instrument(response.questionnaire, response.version)
    if answered is None:
        raise Http404("This questionnaire is no longer defined here.")
    zone = clock_of(request.user).zone
    before = previous(response)
    context = {
        "response": response,
        "instrument": answered,
        "standing": standing(answered, response.score),
        "sheet": answer_sheet(response, zone),
        "before": before,
        "change": change_words(response.score - before.score) if before else "",
    }
    return render(request, "questionnaires/result.html", context)


@login_required
@require_POST
def not_now(request: PatientRequest, questionnaire: str) -> HttpResponse:
    """Today's "Not now": the offer stays away for the instrument's interval."""
    definition = _current(questionnaire)
    services.decline_offer(patient=request.user, instrument=definition, on=clock_of(request.user).today())
    if wants_json(request):
        return JsonResponse({"next": reverse("today")})
    messages.success(
        request,
        f"It will be offered again in {definition.offer_every_days} days. You can answer it any time from Trends.",
    )
    return redirect("today")


@login_required
def delete(request: PatientRequest, response_id: uuid.UUID) -> HttpResponse:
    response = get_object_or_404(request.user.questionnaire_responses, id=response_id)
    answered = instrument(response.questionnaire, response.version)
    if request.method == "POST":
        services.delete_response(patient=request.user, response_id=response.id)
        messages.success(request, "Those answers are no longer in your diary.")
        return redirect("trends")
    return render(request, "questionnaires/confirm_delete.html", {"response": response, "instrument": answered})
