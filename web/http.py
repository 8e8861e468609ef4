"""The signed-in patient of a request, typed, and the answers every page and API route shares about them."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, TypeVar

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

if TYPE_CHECKING:
    from rest_framework.request import Request


Row = TypeVar("Row", bound=Model)


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


def path_uuid(value: str | None, missing: str) -> uuid.UUID:
    """An id from the URL; one that is not a UUID is answered 404 with `missing`, as a row not found."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404(missing) from None


def found(rows: QuerySet[Row], missing: str) -> Row:
    """The row that `rows` finds (a query that starts from the patient), or 404 with `missing`."""
    row = rows.first()
    if row is None:
        raise Http404(missing)
    return row
