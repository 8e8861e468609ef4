"""What triage puts in the diary's pages: the templates that fill their slots, and the Today banner's flags.

The diary's templates include `slots.<name>` where a page has room for another app (diary/hooks.py);
they name nothing of triage.
"""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from diary.services import profile_of
from triage import banner


def flag_banner(request: HttpRequest) -> dict[str, Any]:
    """The warning-signs banner of the Today slot (triage/_banner.html), read only when the slot is drawn."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    user = request.user
    assert isinstance(user, User)
    return {"flag_banner": SimpleLazyObject(lambda: banner.banner(user, profile_of(user).emergency_number))}
