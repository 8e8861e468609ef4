"""WSGI entry point (gunicorn config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A web process sends tasks (a review after each save): its Celery app is ready before the first request.
import config.celery  # noqa: E402, F401
