"""Open flags for the banner on every page of a signed-in patient."""

from typing import Any

from django.http import HttpRequest

from triage.models import OPEN


def open_flags(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"open_flags": list(request.user.flags.filter(status=OPEN).only("code", "level", "first_seen"))}
