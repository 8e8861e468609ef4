"""For tests that run the app in another process (a web server, a Celery worker): the test database
and Redis it must use, and a free port to serve on."""

from __future__ import annotations

import os
import socket

from django.db import connection

# TEST_REDIS_DB lets two checkouts run the Redis tests at once without sharing a queue.
REDIS_URL = (
    os.getenv("REDIS_URL", "redis://127.0.0.1:6379/0").rsplit("/", 1)[0] + "/" + os.getenv("TEST_REDIS_DB", "15")
)


def database_url() -> str:
    """The test database (SQLite file or PostgreSQL) as a DATABASE_URL for the other process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
