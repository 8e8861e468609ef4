"""Exit 0 when Redis answers at REDIS_URL; otherwise say so in one line and exit 1 (`make run` uses it)."""

import sys
from typing import Any

import redis
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Check that Redis answers at REDIS_URL."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError:
            self.stdout.write(f"No Redis at {settings.REDIS_URL}: background reviews will run in-process.")
            sys.exit(1)
