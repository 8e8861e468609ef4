"""The patient's pages: Today, Log, a day of the diary, History, Settings, sign-up and account deletion."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from diary import accounts, hooks, picker, quicklog, reminders, services, taken_back
from diary.clock import duration_words, local_date, started_between
from diary.forms import DeleteAccountForm, EpisodeForm, HistoryFilterForm, NoNumbnessForm, ProfileForm, SignupForm
from diary.history import history_days, one_day, with_gaps
from diary.interchange import dumps, export_diary
from diary.models import EARLIEST_DAY, MAX_DURATION_MINUTES, MAX_NOTES
from diary.serializers import EpisodeSerializer
from diary.templatetags.just_saved import JUST_DELETED, JUST_SAVED, RESTORE_WITHIN, keep_for_undo
from diary.today import diary_start, home
from web import throttles
from web.http import NotYours, PatientRequest, wants_json

HISTORY_PAGE_SIZE = 40


def _today(request: PatientRequest) -> dt.date:
    """The patient's local date, from their profile's clock (not from the request's active zone)."""
    return services.clock_of(request.user).today()


def _back(request: HttpRequest, fallback: str) -> str:
    """Where the patient came from (`next`, a path on this site), to return there after a save or a delete."""
    back = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure())
    return back if safe and back.startswith("/") and not back.startswith("//") else fallback


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on pages that name no icon; a 404 there is a console error."""
    return redirect(static("icons/icon.svg"), permanent=True)


@login_required
def today(request: PatientRequest) -> HttpResponse:
    clock = services.clock_of(request.user)
    day, zone = clock.today(), clock.zone
    episodes = started_between(request.user.episodes.prefetch_related("locations"), day, day, zone)
    checkin = request.user.checkins.filter(date=day).first()
    context = {
        "day": day,
        "episodes": episodes,
        "checkin": checkin,
        "home": home(request.user, zone, day),
        "numbness_logged": services.numbness_logged(request.user, day),  # then "No numbness today" is not offered
    }
    return render(request, "diary/today.html", context)


@login_required
@require_POST
def episode_stopped(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    """Today's "It stopped now" on an episode still going."""
    try:
        saved = services.end_episode(patient=request.user, episode_id=episode_id, ended_at=timezone.now())
    except NotYours:
        raise Http404(services.NO_SUCH_EPISODE) from None
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("today")
    minutes = saved.episode.duration_minutes or 0
    if minutes == MAX_DURATION_MINUTES:
        messages.success(request, "Saved as 24 hours, the longest an episode can be: edit it if it was different.")
    elif minutes == 0:  # tapped right after logging it: never "it lasted 0 minutes"
        messages.success(request, "Noted: it lasted less than a minute.")
    else:
        messages.success(request, f"Noted: it lasted {duration_words(minutes)}.")
    return redirect("today")


@login_required
@require_POST
def checkin_none(request: PatientRequest) -> HttpResponse:
    today = _today(request)
    form = NoNumbnessForm(request.POST, today=today)
    try:
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        day = form.cleaned_data["date"]
        services.save_checkin(patient=request.user, date=day, numbness_today=False, today=today, keep_numbness=True)
    except ValidationError as e:
        if wants_json(request):  # from the offline queue: kept no longer, the patient is told
            return JsonResponse({"errors": e.messages}, status=400)
        # Numbness already noted that day is news, not a mistake of the patient's.
        said = messages.info if "numbness_today" in getattr(e, "error_dict", {}) else messages.error
        said(request, " ".join(e.messages))
    else:
        if wants_json(request):
            return JsonResponse({"next": reverse("today")})
        noted = "today" if day == today else f"on {day:%-d %b}"
        messages.success(request, f"Noted: no numbness {noted}.")
    return redirect("today")


def _save_from_form(request: PatientRequest, form: EpisodeForm, template: str, context: dict[str, Any]) -> HttpResponse:
    """Save a valid form; answer JSON to the offline queue, HTML to a plain form post.

    A plain post whose only alarming thing is a place alarming by itself (the saddle) is asked about it once,
    in the Save bar, before it is saved; with JavaScript the page asks before sending, so the queue's posts (and
    a replay of an entry typed before this question existed) are never held back by it.
    """
    asked = [] if wants_json(request) else form.region_to_confirm()
    if asked and form.cleaned_data["region_answer"] == "no":
        assert isinstance(form.data, QueryDict)  # a posted form
        data = form.data.copy()
        data.setlist("locations", [key for key in data.getlist("locations") if key not in asked])
        data["region_answer"] = ""
        corrected = _episode_form(request, data)
        return render(request, template, _log_context(corrected, request) | context | {"region_removed": True})
    if asked:
        return render(request, template, _log_context(form, request) | context | {"region_question": True})
    arguments = form.service_arguments(timezone.now())
    started_on = taken_back.noted_none_on(request.user, arguments["started_at"])  # before the save replaces it
    try:
        saved = services.save_episode(
            patient=request.user,
            episode_id=form.cleaned_data["id"],
            extra=form.data,  # the fields of the apps' `log` slot (diary/hooks.py)
            **arguments,
        )
    except NotYours:
        raise Http404(services.NO_SUCH_EPISODE) from None
    except ValidationError as e:
        for field, errors in e.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return _form_response(request, form, template, context)
    if saved.created and not saved.alerts:
        # The page the patient lands on says "saved" and offers Undo for a few seconds (templatetags/just_saved.py).
        request.session[JUST_SAVED] = str(saved.episode.id)
    # The warning screen is a page of its own (triage's), so a reload or a return from Today shows it again.
    # It names the signs this save raised: an edit that adds a symptom shows only what it added.
    codes = [a["code"] for a in saved.alerts]
    alert_url = hooks.alert_page_for(saved.episode.id, codes) if saved.alerts else None
    back = _back(request, reverse("today"))
    if not saved.created and not saved.alerts:
        messages.success(request, "Changes saved.")  # said where the patient goes back to (by script or not)
    if said := taken_back.remember(request, saved, started_on):
        messages.info(request, said)
    if wants_json(request):
        # The offline queue's reply: it goes to the warning screen when there is one.
        return JsonResponse(
            {
                "id": str(saved.episode.id),
                "created": saved.created,
                "alerts": saved.alerts,
                "alert_url": alert_url,
                "next": alert_url or back,
            }
        )
    if alert_url:
        return redirect(alert_url)
    return redirect(back)


def _episode_form(request: PatientRequest, *args: Any, **kwargs: Any) -> EpisodeForm:
    """A bound log form that reads times on the patient's clock and bounds them by their date of birth."""
    profile = services.profile_of(request.user)
    return EpisodeForm(*args, clock=profile.clock, date_of_birth=profile.date_of_birth, **kwargs)


def _form_response(request: PatientRequest, form: EpisodeForm, template: str, context: dict[str, Any]) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    return render(request, template, _log_context(form, request) | context, status=400)


def _log_context(form: EpisodeForm, request: HttpRequest) -> dict[str, Any]:
    data = form.data if form.is_bound else form.initial
    places = data.getlist("locations") if hasattr(data, "getlist") else data.get("locations") or []
    return {"form": form, "next": _back(request, ""), "max_notes": f"{MAX_NOTES:,}"} | picker.context(places)


def _day_asked(request: PatientRequest) -> dt.date | None:
    """The past day a new episode is for (`?day=`, from Today's week or History), if a sensible one."""
    try:
        day = dt.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return None
    return day if EARLIEST_DAY <= day <= _today(request) else None


@login_required
def log_episode(request: PatientRequest) -> HttpResponse:
    if request.method == "POST":
        form = _episode_form(request, request.POST)
        if form.is_valid():
            return _save_from_form(request, form, "diary/log.html", {"editing": None})
        return _form_response(request, form, "diary/log.html", {"editing": None})
    form, again = EpisodeForm.for_new(services.clock_of(request.user), _day_asked(request)), None
    if request.GET.get("again"):
        # "Log this again" without JavaScript: a card is a link that fills the form from that episode.
        try:
            again = request.user.episodes.prefetch_related("locations").filter(id=request.GET["again"]).first()
        except ValidationError:
            again = None  # not a UUID: show the plain form
        if again is not None:
            form = EpisodeForm.for_repeat(again, services.clock_of(request.user))
    cards = [] if request.GET.get("day") else quicklog.repeat_cards(request.user)  # a card fills in "just now"
    context = _log_context(form, request) | {"editing": None, "cards": cards, "again": again}
    return render(request, "diary/log.html", context)


@login_required
def edit_episode(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = get_object_or_404(request.user.episodes.prefetch_related("locations"), id=episode_id)
    if request.method == "POST":
        data = request.POST.copy()
        data["id"] = str(episode.id)
        form = _episode_form(request, data, kept_start=episode.started_at)
        if form.is_valid():
            return _save_from_form(request, form, "diary/log.html", {"editing": episode})
        return _form_response(request, form, "diary/log.html", {"editing": episode})
    form = EpisodeForm.for_episode(episode, services.clock_of(request.user))
    return render(request, "diary/log.html", _log_context(form, request) | {"editing": episode})


@login_required
def delete_episode(request: PatientRequest, episode_id: uuid.UUID) -> HttpResponse:
    episode = get_object_or_404(request.user.episodes.prefetch_related("locations"), id=episode_id)
    if request.method == "POST":
        if request.POST.get("undo"):
            # Undo from the "saved" confirmation: back to the page it was shown on.
            given_back = taken_back.delete_giving_back(request, episode.id)
            messages.success(request, f"Undone: that episode is no longer in your diary.{given_back}")
            return redirect(_back(request, reverse("today")))
        # The next page says "Episode deleted" with Undo for a few seconds (templatetags/just_saved.py).
        keep_for_undo(request, episode)
        services.delete_episode(patient=request.user, episode_id=episode.id)
        return redirect(_back(request, reverse("history")))
    context = {"episode": episode, "next": _back(request, "")}
    return render(request, "diary/episode_confirm_delete.html", context)


@login_required
@require_POST
def restore_episode(request: PatientRequest) -> HttpResponse:
    """Undo of a delete: the episode comes back as it was, with its id, through the ordinary save."""
    deleted = request.session.get(JUST_DELETED) or {}
    at = deleted.get("at")
    if not at or timezone.now() - dt.datetime.fromisoformat(at) > RESTORE_WITHIN:
        messages.error(request, "That episode can no longer be brought back: log it again if you need it.")
        return redirect(_back(request, reverse("history")))
    profile = services.profile_of(request.user)
    serializer = EpisodeSerializer(
        data=deleted["record"],
        context={"clock": profile.clock, "date_of_birth": profile.date_of_birth, "as_recorded": True},
    )
    serializer.is_valid(raise_exception=False)
    try:
        if serializer.errors:
            raise ValidationError(str(serializer.errors))
        arguments = EpisodeSerializer.service_arguments(serializer.validated_data)
        started_on = taken_back.noted_none_on(request.user, arguments["started_at"])  # before the save replaces it
        saved = services.save_episode(patient=request.user, episode_id=serializer.validated_data["id"], **arguments)
    except (ValidationError, NotYours):
        messages.error(request, "That episode could not be brought back: log it again if you need it.")
        return redirect(_back(request, reverse("history")))
    del request.session[JUST_DELETED]
    # Back in the diary, it takes back again the "no numbness" its removal gave back, says so, and a second
    # removal gives it back again.
    said = taken_back.remember(request, saved, started_on)
    alert_url = hooks.alert_page_for(saved.episode.id, [a["code"] for a in saved.alerts]) if saved.alerts else None
    if not alert_url:
        messages.success(request, "Undone: the episode is back in your diary.")
    if said:
        messages.info(request, said)
    if alert_url:  # it brings its warning sign back with it, and the screen that says what to do
        return redirect(alert_url)
    return redirect(_back(request, reverse("history")))


def _day_of(request: PatientRequest, date: str) -> dt.date:
    """A day of the patient's diary from the URL: not in the future, not before 1 January 2000."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Http404("No such day.") from None
    if not EARLIEST_DAY <= day <= _today(request):
        raise Http404("No such day in your diary.")
    return day


@login_required
def day_view(request: PatientRequest, date: str) -> HttpResponse:
    """One day of the diary, from Today's week or History: what was logged, and the way to fill it in."""
    day = _day_of(request, date)
    clock = services.clock_of(request.user)
    context = {
        "item": one_day(request.user, clock.zone, day),
        "is_today": day == clock.today(),
        "numbness_logged": services.numbness_logged(request.user, day),
    }
    return render(request, "diary/day.html", context)


@login_required
@require_POST
def day_checkin(request: PatientRequest, date: str) -> HttpResponse:
    """The day page's answers: "No numbness this day", or "Clear this day" (back to not logged)."""
    day = _day_of(request, date)
    here = reverse("day", args=[f"{day:%Y-%m-%d}"])
    if request.POST.get("answer") == "clear":
        services.delete_checkin(patient=request.user, date=day)
        messages.success(request, f"Cleared: {day:%-d %b} is not logged.")
        return redirect(here)
    try:
        services.save_checkin(patient=request.user, date=day, numbness_today=False, today=_today(request))
    except ValidationError as e:
        # An episode logged on that day meanwhile (another tab, the queue), or one from the day before lasting into it.
        messages.info(request, " ".join(e.messages))
        return redirect(here)
    messages.success(request, f"Noted: no numbness on {day:%-d %b}.")
    return redirect(_back(request, here))


@login_required
def history(request: PatientRequest) -> HttpResponse:
    clock = services.clock_of(request.user)
    zone = clock.zone
    form = HistoryFilterForm(request.GET)
    first, last = form.dates()
    episodes = started_between(
        request.user.episodes.prefetch_related("locations").order_by("-started_at"), first, last, zone
    )
    page = Paginator(episodes, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    on_page = list(page.object_list)
    # This page's stretch of days: from its oldest episode (or the range's start, on the last page) up to
    # where the newer page ended (or the range's end, on the first page); check-in days in it show too.
    down_to = local_date(on_page[-1].started_at, zone) if page.has_next() and on_page else first
    newer_than = last + dt.timedelta(days=1) if last else None
    if page.number > 1:
        newer_than = local_date(episodes[page.start_index() - 2].started_at, zone)
    checkins = request.user.checkins.all()
    if down_to:
        checkins = checkins.filter(date__gte=down_to)
    if newer_than:
        checkins = checkins.filter(date__lt=newer_than)
    days = history_days(
        on_page, zone, dict(checkins.values_list("date", "numbness_today")), down_to=down_to, newer_than=newer_than
    )
    # The days with nothing logged in this page's stretch, from the diary's first day up to today.
    today = clock.today()
    top = min(today, last or today, newer_than - dt.timedelta(days=1) if newer_than else today)
    bottom = max(diary_start(request.user, zone, today), down_to or EARLIEST_DAY)
    query = "&".join(f"{key}={value}" for key, value in (("from", first), ("to", last)) if value)
    # An edit or a delete made from a day of this page comes back to it (?at=, and the day's #anchor), and what
    # it did ("Changes saved", "Episode deleted" with Undo) is said there instead of at the top of the page.
    here = request.GET.copy()
    here.pop("at", None)
    at = request.GET.get("at")
    context = {
        "page": page,
        "days": with_gaps(days, top, bottom),
        "logged": bool(days),
        "first": first,
        "last": last,
        "query": query,
        "errors": form.messages(),
        "here": f"{request.path}?{here.urlencode()}{'&' if here else ''}at=",
        "at": next((d.day for d in days if at and f"{d.day:%Y-%m-%d}" == at), None),
    }
    return render(request, "diary/history.html", context, status=400 if context["errors"] else 200)


@login_required
def settings_view(request: PatientRequest) -> HttpResponse:
    profile = services.profile_of(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        email = values.pop("email")
        with transaction.atomic():
            saved = services.change_settings(patient=request.user, **values)
            services.update_email(patient=request.user, email=email)
        messages.success(request, "Settings saved.")
        if saved.emergency_number != values["emergency_number"]:  # it followed the new time zone
            messages.info(
                request,
                f"The warning screens now offer to call {saved.emergency_number}, the usual emergency number in "
                "your new time zone. Change it below if yours is another.",
            )
        return redirect("settings")
    context = {"form": form, "apps": accounts.apps_with_access(request.user), "token_days": settings.API_TOKEN_DAYS}
    return render(request, "diary/settings.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def remove_app(request: PatientRequest, digest: str) -> HttpResponse:
    """Settings, "Apps with access": end one app's API token (another patient's answers as a missing one)."""
    if not accounts.revoke_token(request.user, digest):
        raise Http404("No such app.")
    messages.success(request, "That app no longer has access to your diary.")
    return redirect(reverse("settings") + "#apps-title")


@login_required
@require_POST
def sign_out_everywhere(request: PatientRequest) -> HttpResponse:
    """Every browser signed in (this one too) and every app with a token loses access at once, and every device its
    notifications (`hooks.signed_out_everywhere`)."""
    patient = request.user
    accounts.sign_out_everywhere(patient)
    stranded = reminders.nowhere_to_go(patient.pk, services.profile_of(patient).reminder_time, patient.email)
    logout(request)
    message = (
        "You are signed out everywhere: every browser and every app, and notifications are off on every device. "
        "Sign in again here, and turn notifications on again in Settings on the phones you keep."
    )
    if stranded:
        message += " Until then your daily reminder has nowhere to go: it needs notifications on or an email address."
    messages.success(request, message)
    return redirect("login")


@login_required
@require_GET
def download_data(request: PatientRequest) -> HttpResponse:
    response = HttpResponse(dumps(export_diary(request.user)), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="numbness-diary-{_today(request)}.json"'
    return response


def _password_check_throttled(request: PatientRequest) -> HttpResponse | None:
    """A signed-in form that asks for the password counts each try with the sign-in guesses of the account."""
    if request.method == "POST" and (wait := throttles.password_attempt(request, request.user.get_username())):
        return throttles.throttled_response(request, wait, "password attempts", back=request.path)
    return None


_password_change_page = auth_views.PasswordChangeView.as_view(success_url="/settings/")


@login_required
def password_change(request: PatientRequest) -> HttpResponseBase:
    """Django's password change, each try of the old password counted."""
    return _password_check_throttled(request) or _password_change_page(request)


@login_required
def delete_account(request: PatientRequest) -> HttpResponse:
    if throttled := _password_check_throttled(request):
        return throttled
    form = DeleteAccountForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.delete_account(patient=request.user)  # every row of the patient, and every session
        logout(request)  # this request's session is gone too: start a fresh one for the message
        messages.success(request, "Your account and all of your diary have been deleted.")
        return redirect("login")
    return render(request, "diary/account_delete.html", {"form": form}, status=400 if form.errors else 200)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("today")
    if request.method == "POST" and (wait := throttles.signup_attempt(request)):
        return throttles.throttled_response(request, wait, "sign-ups from this address", back=reverse("signup"))
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


_login_page = auth_views.LoginView.as_view(redirect_authenticated_user=True)
_password_reset_page = auth_views.PasswordResetView.as_view(
    email_template_name="registration/password_reset_email.txt", extra_email_context={"app_name": settings.APP_NAME}
)


# Django's login page, with every password counted (per account and address, or on this browser's own allowance).
login_view = throttles.guard_sign_in(_login_page)


def password_reset(request: HttpRequest) -> HttpResponseBase:
    """Django's password reset, counted per address and per email address."""
    if request.method == "POST" and (wait := throttles.reset_attempt(request, request.POST.get("email", ""))):
        return throttles.throttled_response(request, wait, "password reset requests", back=reverse("password_reset"))
    return _password_reset_page(request)
