"""What questionnaires put in the diary's pages: the offers of Today's slot, read only when the slot is drawn."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from diary.services import clock_of
from questionnaires import offers


def questionnaire_offers(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    user = request.user
    assert isinstance(user, User)

    def load() -> list[offers.Offer]:
        clock = clock_of(user)
        return offers.offers(user, clock.zone, clock.today())

    return {"questionnaire_offers": SimpleLazyObject(load)}
