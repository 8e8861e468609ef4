"""Logging out turns notifications off for this device: the next person on the phone gets none of them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest

from pwa.models import PushSubscription

SESSION_KEY = "push_endpoint"


@receiver(user_logged_out)
def unsubscribe_on_logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    endpoint = request.session.get(SESSION_KEY)
    if user is not None and endpoint:
        PushSubscription.objects.filter(patient=user, endpoint=endpoint).delete()
