"""The slots of the diary's pages, filled by the apps built on it (diary/hooks.py): only for a signed-in patient."""

from __future__ import annotations

from django.http import HttpRequest

from diary import hooks


def slots(request: HttpRequest) -> dict[str, dict[str, list[str]]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"slots": hooks.SLOTS}
