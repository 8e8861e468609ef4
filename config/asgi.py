"""ASGI entry point."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_asgi_application()

# A web process sends tasks (a review after each save): its Celery app is ready before the first request.
import config.celery  # noqa: E402, F401
