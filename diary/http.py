"""The signed-in patient of a request, typed: every page and API route starts from them."""

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


def patient_of(request: HttpRequest | Request) -> User:
    """The patient signed in on this request; the views that call it require a signed-in user."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied("Sign in first.")
    return user
