"""{% app_head %}: what every page's head says about the installable app; {% push_settings %}: the Settings
section that turns notifications on for this device."""

from __future__ import annotations

from django import template
from django.urls import reverse

from pwa import vapid

register = template.Library()


@register.inclusion_tag("pwa/_push_settings.html")
def push_settings() -> dict[str, object]:
    keys = vapid.keys()
    return {
        "vapid_public_key": keys.public if keys else "",
        "subscribe_url": reverse("push-subscribe"),
        "unsubscribe_url": reverse("push-unsubscribe"),
    }


@register.inclusion_tag("pwa/_head.html")
def app_head() -> dict[str, object]:
    from pwa import views

    return {
        "theme_light": views.THEME_LIGHT,
        "theme_dark": views.THEME_DARK,
        "short_name": views.SHORT_NAME,
        "page_cache_prefix": views.PAGE_CACHE_PREFIX,
    }
