"""{% emergency_number %}: the signed-in patient's emergency number, and {% instant_signs %}: the instant warning
signs as data, for the warning screen that the log page keeps for offline use (triage/_offline_warning.html): the
page the service worker keeps carries both."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from diary.services import profile_of
from triage import offline

register = template.Library()


@register.simple_tag(takes_context=True)
def emergency_number(context: dict[str, Any]) -> str:
    user = context["request"].user
    return profile_of(user).emergency_number if user.is_authenticated else ""


@register.simple_tag
def instant_signs() -> SafeString:
    return offline.embedded()
