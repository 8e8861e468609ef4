"""Project wiring: settings, URLs, the Celery app, WSGI/ASGI.

The Celery app (`config/celery.py`) is not imported here: a web process, a management command or a test that
sends no task does not pay for Celery, kombu and redis-py at start. The task modules bind their tasks to it
(`from config.celery import app`), so it is configured before the first task is sent; `celery -A config`
finds it in `config.celery`.
"""
