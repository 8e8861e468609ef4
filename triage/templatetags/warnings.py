"""{% emergency_number %}: the signed-in patient's emergency number, for the warning screen that the log page
keeps for offline use (triage/_offline_warning.html): the page the service worker keeps carries it."""

from __future__ import annotations

from typing import Any

from django import template

from diary.services import profile_of

register = template.Library()


@register.simple_tag(takes_context=True)
def emergency_number(context: dict[str, Any]) -> str:
    user = context["request"].user
    return profile_of(user).emergency_number if user.is_authenticated else ""
