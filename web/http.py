"""The signed-in patient of a request, typed, and the answers every page and API route shares about them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request


class PatientRequest(HttpRequest):
    """What a view behind `login_required` receives."""

    user: User


class NotYours(Exception):
    """The id belongs to another patient's row: answered 404, exactly as for a missing row."""


def patient_of(request: HttpRequest | Request) -> User:
    """The patient signed in on this request; the views that call it require a signed-in user."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user


def wants_json(request: HttpRequest) -> bool:
    """The offline queue and other scripts ask for JSON; a plain form post gets a page."""
    return "application/json" in request.headers.get("Accept", "")
