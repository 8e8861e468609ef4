"""The patient's pages: Today, Log, History, Settings, sign-up and account deletion."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from diary import bodymap, facts, home, services, throttles, trends
from diary.days import local_date, started_between
from diary.forms import DeleteAccountForm, EpisodeForm, HistoryFilterForm, ProfileForm, SignupForm, TrendRangeForm
from diary.http import PatientRequest
from diary.interchange import dumps, export_diary
from diary.models import MAX_DURATION_MINUTES

HISTORY_PAGE_SIZE = 40


def _today(request: PatientRequest) -> dt.date:
    """The patient's local date (the middleware activated their time zone)."""
    return timezone.localdate()


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@login_required
def today(request: PatientRequest) -> HttpResponse:
    day = _today(request)
    zone = timezone.get_current_timezone()
    episodes = started_between(request.user.episodes.prefetch_related("locations"), day, day, zone)
    checkin = request.user.checkins.filter(date=day).first()
    context = {"day": day, "episodes": episodes, "checkin": checkin, "home": home.home(request.user, zone, day)}
    return render(request, "diary/today.html", context)


@login_required
@require_POST
def episode_stopped(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Today's "It stopped now" on an episode still going."""
    try:
        saved = services.end_episode(patient=request.user, episode_id=episode_id, ended_at=timezone.now())
    except services.NotYours:
        raise Http404("No such episode.") from None
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("today")
    minutes = saved.episode.duration_minutes or 0
    if minutes == MAX_DURATION_MINUTES:
        messages.success(request, "Saved as 24 hours, the longest an episode can be: edit it if it was different.")
    else:
        messages.success(request, f"Noted: it lasted {home.duration_words(minutes)}.")
    return redirect("today")


@login_required
@require_POST
def checkin_none(request: PatientRequest) -> HttpResponse:
    try:
        services.save_checkin(patient=request.user, date=_today(request), numbness_today=False, today=_today(request))
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "Noted: no numbness today.")
    return redirect("today")


def _wants_json(request: PatientRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _save_from_form(request: PatientRequest, form: EpisodeForm, template: str, context: dict[str, Any]) -> HttpResponse:
    """Save a valid form; answer JSON to the offline queue, HTML to a plain form post."""
    try:
        saved = services.save_episode(
            patient=request.user,
            episode_id=form.cleaned_data["id"],
            **form.service_arguments(timezone.now()),
        )
    except services.NotYours:
        raise Http404("No such episode.") from None
    except ValidationError as e:
        for field, errors in e.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _form_response(request, form, template, context)
    alerts_context = {"alerts": saved.alerts, "profile": services.profile_of(request.user)}
    # The warning screen is a page of its own (triage's), so a reload or a return from Today shows it again.
    # It names the signs this save raised: an edit that adds a symptom shows only what it added.
    alert_url = None
    if saved.alerts:
        signs = urlencode({"sign": [a["code"] for a in saved.alerts]}, doseq=True)
        alert_url = f"{reverse('episode-alert', args=[saved.episode.id])}?{signs}"
    if _wants_json(request):
        # The offline queue's reply: alerts come rendered, so the emergency screen shows at once.
        return JsonResponse(
            {
                "id": str(saved.episode.id),
                "created": saved.created,
                "alerts": saved.alerts,
                "alerts_html": render_to_string("diary/_alerts.html", alerts_context, request) if saved.alerts else "",
                "alert_url": alert_url,
                "next": alert_url or reverse("today"),
            }
        )
    if alert_url:
        return redirect(alert_url)
    messages.success(request, "Episode saved." if saved.created else "Episode updated.")
    return redirect("today")


def _form_response(request: PatientRequest, form: EpisodeForm, template: str, context: dict[str, Any]) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return render(request, template, context | {"form": form, "views": bodymap.views()}, status=400)


@login_required
def log_episode(request: PatientRequest) -> HttpResponse:
    if request.method == "POST":
        form = EpisodeForm(request.POST)
        if form.is_valid():
            return _save_from_form(request, form, "diary/log.html", {"editing": None})
        return _form_response(request, form, "diary/log.html", {"editing": None})
    return render(request, "diary/log.html", {"form": EpisodeForm.for_new(), "views": bodymap.views(), "editing": None})


@login_required
def edit_episode(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = get_object_or_404(request.user.episodes.prefetch_related("locations"), id=episode_id)
    if request.method == "POST":
        data = request.POST.copy()
        data["id"] = str(episode.id)
        form = EpisodeForm(data)
        if form.is_valid():
            return _save_from_form(request, form, "diary/log.html", {"editing": episode})
        return _form_response(request, form, "diary/log.html", {"editing": episode})
    form = EpisodeForm.for_episode(episode)
    return render(request, "diary/log.html", {"form": form, "views": bodymap.views(), "editing": episode})


@login_required
def delete_episode(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = get_object_or_404(request.user.episodes, id=episode_id)
    if request.method == "POST":
        services.delete_episode(patient=request.user, episode_id=episode.id)
        messages.success(request, "Episode deleted.")
        return redirect("history")
    return render(request, "diary/episode_confirm_delete.html", {"episode": episode})


@login_required
def history(request: PatientRequest) -> HttpResponse:
    zone = timezone.get_current_timezone()
    form = HistoryFilterForm(request.GET)
    first, last = form.dates()
    episodes = started_between(
        request.user.episodes.prefetch_related("locations").order_by("-started_at"), first, last, zone
    )
    page = Paginator(episodes, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    days = [
        (day, list(group))
        for day, group in itertools.groupby(page.object_list, key=lambda e: local_date(e.started_at, zone))
    ]
    query = "&".join(f"{key}={value}" for key, value in (("from", first), ("to", last)) if value)
    context = {"page": page, "days": days, "first": first, "last": last, "query": query, "errors": form.messages()}
    return render(request, "diary/history.html", context, status=400 if context["errors"] else 200)


@login_required
def settings_view(request: PatientRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        email = values.pop("email")
        with transaction.atomic():
            services.update_profile(patient=request.user, **values)
            services.update_email(patient=request.user, email=email)
        messages.success(request, "Settings saved.")
        return redirect("settings")
    return render(request, "diary/settings.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_GET
def download_data(request: PatientRequest) -> HttpResponse:
    response = HttpResponse(dumps(export_diary(request.user)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="numbness-diary-{_today(request)}.json"'
    return response


@login_required
def delete_account(request: PatientRequest) -> HttpResponse:
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        request.user.delete()  # cascades to every row that belongs to the patient
        messages.success(request, "Your account and all of your diary have been deleted.")
        return redirect("login")
    return render(request, "diary/account_delete.html", {"form": form}, status=400 if form.errors else 200)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("today")
    if request.method == "POST" and (wait := throttles.signup_attempt(request)):
        return throttled_page(request, wait, "sign-ups from this address", reverse("signup"))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save()
            services.update_profile(patient=user, **form.profile_values())
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your diary is ready. Log an episode, or tell it you had no numbness today.")
        return redirect("today")
    context = {"form": form, "password_rules": password_validators_help_texts()}
    response = render(request, "registration/signup.html", context, status=400 if form.errors else 200)
    if form.errors:
        add_never_cache_headers(response)  # the page carries the typed passwords back
    return response


@login_required
def trends_page(request: PatientRequest) -> HttpResponse:
    form = TrendRangeForm(request.GET or {"range": trends.DEFAULT_RANGE}, today=_today(request))
    if not form.is_valid():
        return render(request, "diary/trends.html", {"form": form}, status=400)
    choice, custom = form.selection()
    data = facts.trends_for(request.user, services.profile_of(request.user).zone, choice, custom)
    context = {
        "form": form,
        "trends": data,
        "chart_data": data.as_json(),
        "bodymap": bodymap.shaded_views(data.regions),
        "region_rows": bodymap.region_rows(data.regions),
        "calendar": data.calendar_cells(),
        "ranges": trends.RANGES,
        "choice": choice,
    }
    return render(request, "diary/trends.html", context)


def throttled_page(request: HttpRequest, wait: throttles.Throttled, what: str, back: str) -> HttpResponse:
    """429 with a plain message and Retry-After: the person waits, nothing is locked."""
    response = render(request, "registration/throttled.html", {"message": wait.message(what), "back": back}, status=429)
    response["Retry-After"] = str(wait.retry_after)
    return response


_login_page = auth_views.LoginView.as_view(redirect_authenticated_user=True)
_password_reset_page = auth_views.PasswordResetView.as_view(email_template_name="registration/password_reset_email.txt")


def login_view(request: HttpRequest) -> HttpResponseBase:
    """Django's login page, with every password attempt counted per account and per address."""
    if request.method == "POST" and (wait := throttles.password_attempt(request, request.POST.get("username", ""))):
        return throttled_page(request, wait, "sign-in attempts", reverse("login"))
    return _login_page(request)


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Django's password reset, counted per address and per email address."""
    if request.method == "POST" and (wait := throttles.reset_attempt(request, request.POST.get("email", ""))):
        return throttled_page(request, wait, "password reset requests", reverse("password_reset"))
    return _password_reset_page(request)
