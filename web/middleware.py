"""Every request's middleware of the house: body limits (413) and UTF-8 only (415), no caching of anything
private, and pages shown in the patient's own time zone."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.module_loading import import_string

from web.parsers import BodyRefused, require_utf8

API_PREFIX = "/api/"


def body_limit(request: HttpRequest) -> int | None:
    """The largest body a request may send: API_MAX_BODY_BYTES on the API, Django's upload limit elsewhere."""
    if request.path.startswith(API_PREFIX):
        return int(settings.API_MAX_BODY_BYTES)
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Connection"] = "close"
    return response


class RequestBodyLimitMiddleware:
    """Refuse a body larger than its limit with 413, from its Content-Length, before anything reads it; and a
    body in any charset but UTF-8 with 415, before Django or a parser decodes it with a codec the client named.

    A body without a Content-Length (chunked) is not read by Django at all, so the header is the
    whole story under a WSGI server.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if limit is not None and length > limit:
            message = f"The request body is {_megabytes(length)}; at most {_megabytes(limit)} is accepted here."
            return _refusal(request, 413, message)
        if length:
            try:
                require_utf8(request.META.get("CONTENT_TYPE", ""))
            except BodyRefused as error:
                return _refusal(request, error.status, str(error))
        return self.get_response(request)


def is_private(request: HttpRequest, response: HttpResponse) -> bool:
    """Anything for a signed-in person, any API answer, and any download is private."""
    user = getattr(request, "user", None)
    return bool(
        (user is not None and user.is_authenticated)
        or request.path.startswith(API_PREFIX)
        or "attachment" in response.get("Content-Disposition", "")
    )


class PrivateResponseMiddleware:
    """`Cache-Control: no-store, private` on private responses, so no browser or proxy keeps a copy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_private(request, response):
            patch_cache_control(response, no_store=True, private=True)
        return response


class PatientTimezoneMiddleware:
    """Templates show dates and times in the signed-in patient's zone.

    Activating the zone is for display only (Django's date filters and widgets). Data never depends on it:
    forms, the API (session or token), the import and the views compute on the patient's clock, passed
    explicitly. Whose clock that is, settings.PATIENT_CLOCK says (the diary's `services.clock_of`), so that
    this module knows no app.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.clock_of = import_string(settings.PATIENT_CLOCK)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if isinstance(request.user, User) and request.user.is_authenticated:
            timezone.activate(self.clock_of(request.user).zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
