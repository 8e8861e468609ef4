"""The service worker, the web app manifest, the offline page, and turning notifications on and off."""

from __future__ import annotations

import hashlib
import json
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from diary import hooks, services
from diary.clock import started_between
from pwa import shell
from pwa.forms import SubscriptionForm, UnsubscribeForm
from pwa.middleware import HEADER as PATIENT_HEADER
from pwa.models import PushSubscription
from pwa.receivers import SESSION_KEY
from pwa.subscriptions import HeldByAnother, subscribe
from web import parsers
from web.http import patient_of

SHORT_NAME = "Numbness"  # under the icon on a home screen
# The browser's bars around the installed app, in the stylesheet's accent (light) and page colour (dark).
THEME_LIGHT = "#1f5f8b"
THEME_DARK = "#111417"

SHELL_CACHE_PREFIX = "shell-"  # "shell-<version>"
PAGE_CACHE_PREFIX = "pages-"  # one cache per patient: "pages-<patient id>"
NETWORK_PATIENCE_MS = 6000  # a hanging connection falls back to the kept page after this

# What could end a script or a string early wherever the JSON lands (Django's json_script escapes the same).
_JSON_IN_SCRIPT = str.maketrans({"<": "\\u003C", ">": "\\u003E", "&": "\\u0026"})


def cached_pages() -> list[str]:
    """The pages kept as the patient last saw them, to open with no connection (the apps' through diary.hooks)."""
    apps = [reverse(name, args=args) for name, args in hooks.OFFLINE_PAGES]
    return [reverse("today"), reverse("log"), reverse("history"), reverse("trends"), *apps]


def worker_config() -> dict[str, object]:
    """Every constant of the service worker: the view renders them into templates/pwa/sw.js as one JSON object.

    The shell is the static files plus the documents apps keep with it (`diary.hooks.keep_with_shell`); its version
    changes when any of them does.
    """
    version, urls = shell.shell()
    documents = hooks.OFFLINE_DOCUMENTS
    if documents:
        digest = hashlib.sha256(version.encode())
        for document in documents:
            digest.update(f"{document.url_name}:{document.version()}".encode())
        version = digest.hexdigest()[:16]
    return {
        "version": version,
        "shell": urls + [reverse(document.url_name) for document in documents],
        "shell_cache_prefix": SHELL_CACHE_PREFIX,
        "page_cache_prefix": PAGE_CACHE_PREFIX,
        "pages": cached_pages(),
        "network_patience_ms": NETWORK_PATIENCE_MS,
        "patient_header": PATIENT_HEADER,
        "offline_url": reverse("offline"),
        "session_url": reverse("app-session"),
        "queue_script": static("js/queue.js"),
        "icon": static("icons/icon-192.png"),
        "notification_title": settings.APP_NAME,
    }


def script_json(value: object) -> str:
    """`value` as a JavaScript literal: JSON in ASCII (no U+2028 to end a string early) with <, > and & escaped."""
    return json.dumps(value, sort_keys=True).translate(_JSON_IN_SCRIPT)


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {"config": script_json(worker_config())}
    response = render(request, "pwa/sw.js", context, content_type="text/javascript; charset=utf-8")
    # Browsers check for a new worker on each visit; no cache in between may hide one.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    def icon(path: str, size: str, kind: str, purpose: str = "any") -> dict[str, str]:
        return {"src": static(path), "sizes": size, "type": kind, "purpose": purpose}

    data = {
        "id": reverse("today"),
        "name": settings.APP_NAME,
        "short_name": SHORT_NAME,
        "description": "A diary of leg numbness: log episodes, see trends, share a report with your doctor.",
        "lang": "en",
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_LIGHT,
        "icons": [
            icon("icons/icon.svg", "any", "image/svg+xml"),
            icon("icons/icon-192.png", "192x192", "image/png"),
            icon("icons/icon-512.png", "512x512", "image/png"),
            icon("icons/icon-maskable-512.png", "512x512", "image/png", "maskable"),
        ],
        "shortcuts": [
            {
                "name": "Log numbness",
                "url": reverse("log"),
                "icons": [icon("icons/icon-192.png", "192x192", "image/png")],
            },
            {
                "name": "No numbness today",
                "url": reverse("no-numbness"),
                "icons": [icon("icons/icon-192.png", "192x192", "image/png")],
            },
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """Shown by the service worker for a page it never kept; holds nobody's data."""
    return render(request, "pwa/offline.html")


@login_required
@require_GET
def no_numbness(request: HttpRequest) -> HttpResponse:
    """The landing page of the "No numbness today" shortcut: one tap posts the check-in. A day with an episode
    had numbness: then it offers to log another instead."""
    patient = patient_of(request)
    clock = services.clock_of(patient)
    logged = started_between(patient.episodes.all(), clock.today(), clock.today(), clock.zone).count()
    context = {"logged": logged, "numbness_logged": services.numbness_logged(patient, clock.today())}
    return render(request, "pwa/no_numbness.html", context)


@never_cache
@require_GET
def session_state(request: HttpRequest) -> JsonResponse:
    """Whose session this is, and a CSRF token for it: the service worker replays only that patient's entries."""
    patient = request.user.pk if request.user.is_authenticated else None
    return JsonResponse({"patient": patient, "csrf": get_token(request) if patient else ""})


# A subscription is an endpoint and two keys: a few hundred bytes. Anything much larger is not one.
MAX_SUBSCRIPTION_BODY = 8 * 1024
Form = TypeVar("Form", SubscriptionForm, UnsubscribeForm)


def _errors(form: SubscriptionForm | UnsubscribeForm, status: int = 400) -> JsonResponse:
    return JsonResponse({"errors": form.errors.get_json_data()}, status=status)


def _bound(request: HttpRequest, form_class: type[Form]) -> Form | JsonResponse:
    """The form over the JSON body read by the house's bounded parser, or the answer to a body it refused (or to
    a form that is not valid): 400 naming the field, 413, or 415."""
    try:
        form = form_class.from_json(parsers.json_body(request, limit=MAX_SUBSCRIPTION_BODY))
    except parsers.BodyRefused as error:
        return JsonResponse({"errors": {"__all__": [{"message": str(error), "code": "body"}]}}, status=error.status)
    return form if form.is_valid() else _errors(form)


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    """Notifications on for this device. An endpoint another account holds moves to this one only with its keys
    (the browser's proof that this is that device), and the answer says it moved; without them, 409."""
    form = _bound(request, SubscriptionForm)
    if isinstance(form, JsonResponse):
        return form
    assert isinstance(request.user, User)  # login_required
    try:
        done = subscribe(patient=request.user, **form.cleaned_data)
    except HeldByAnother:
        form.add_error("endpoint", "Notifications at this address belong to another account; nothing was changed.")
        return _errors(form, status=409)
    request.session[SESSION_KEY] = done.subscription.endpoint
    return JsonResponse({"subscribed": True, "moved": True} if done.moved else {"subscribed": True})


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    form = _bound(request, UnsubscribeForm)
    if isinstance(form, JsonResponse):
        return form
    PushSubscription.objects.filter(patient=request.user.pk, endpoint=form.cleaned_data["endpoint"]).delete()
    request.session.pop(SESSION_KEY, None)
    return JsonResponse({"subscribed": False})
