"""Per-request wiring: templates show dates and times in the patient's own time zone.

Activating the zone is for display only (Django's date filters and widgets). Data never depends on
it: forms, the API (session or token), the import and the views read and compute on the patient's
clock, `services.clock_of(patient)`, passed explicitly.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from diary.services import clock_of


class PatientTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            timezone.activate(clock_of(request.user).zone)
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
