"""What every page of the house may show: the app's name (settings.APP_NAME, its one home)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def app(request: HttpRequest) -> dict[str, str]:
    return {"app_name": settings.APP_NAME}
