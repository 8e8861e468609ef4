"""The service worker, the web app manifest, the offline page, and turning notifications on and off."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from diary import hooks, services
from diary.clock import started_between
from pwa import push, shell
from pwa.forms import SubscriptionForm
from pwa.middleware import HEADER as PATIENT_HEADER
from pwa.models import PushSubscription
from pwa.receivers import SESSION_KEY
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
        "notification_title": push.TITLE,
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
    return render(request, "pwa/no_numbness.html", {"logged": logged})


@never_cache
@require_GET
def session_state(request: HttpRequest) -> JsonResponse:
    """Whose session this is, and a CSRF token for it: the service worker replays only that patient's entries."""
    patient = request.user.pk if request.user.is_authenticated else None
    return JsonResponse({"patient": patient, "csrf": get_token(request) if patient else ""})


def _json_body(request: HttpRequest) -> object:
    try:
        return json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return None


@login_required
@require_POST
def push_subscribe(request: HttpRequest) -> JsonResponse:
    form = SubscriptionForm.from_json(_json_body(request))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    data = form.cleaned_data
    # One row per device; a device that changes hands becomes the signed-in patient's.
    PushSubscription.objects.update_or_create(
        endpoint=data["endpoint"], defaults={"patient": request.user, "p256dh": data["p256dh"], "auth": data["auth"]}
    )
    request.session[SESSION_KEY] = data["endpoint"]
    return JsonResponse({"subscribed": True})


@login_required
@require_POST
def push_unsubscribe(request: HttpRequest) -> JsonResponse:
    body = _json_body(request)
    endpoint = body.get("endpoint") if isinstance(body, dict) else None
    if not isinstance(endpoint, str) or not endpoint:
        return JsonResponse(
            {"errors": {"endpoint": [{"message": "This field is required.", "code": "required"}]}}, status=400
        )
    PushSubscription.objects.filter(patient=request.user.pk, endpoint=endpoint).delete()
    request.session.pop(SESSION_KEY, None)
    return JsonResponse({"subscribed": False})
