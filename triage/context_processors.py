"""Open flags for the banner of a signed-in patient, computed only by a page that shows it."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from diary.services import profile_of
from triage import banner
from triage.models import OPEN


def open_flags(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    user = request.user
    assert isinstance(user, User)
    return {
        "open_flags": SimpleLazyObject(
            lambda: list(user.flags.filter(status=OPEN).only("code", "level", "first_seen"))
        ),
        "flag_banner": SimpleLazyObject(lambda: banner.banner(user, profile_of(user).emergency_number)),
    }
