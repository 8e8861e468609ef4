"""What the treatments' slot on Today reads: computed only when the slot is drawn (only Today draws it)."""

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from treatments.today import today_card


def treatments_today(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        return {}
    return {"treatments_today": SimpleLazyObject(lambda: today_card(user))}
