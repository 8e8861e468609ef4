"""Print a new VAPID key pair as the environment variables the settings read."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pwa import vapid


class Command(BaseCommand):
    help = "Generate a VAPID key pair for Web Push and print it as VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY lines."

    def handle(self, *args: Any, **options: Any) -> None:
        pair = vapid.generate()
        self.stdout.write(f"VAPID_PUBLIC_KEY={pair.public}\nVAPID_PRIVATE_KEY={pair.private}\n")
