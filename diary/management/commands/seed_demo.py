"""Create the demo account with 90 days of diary, loaded through the ordinary import."""

import datetime as dt
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from diary.demo import DEMO_PASSWORD, DEMO_TIMEZONE, DEMO_USERNAME, demo_document
from diary.interchange import import_diary


class Command(BaseCommand):
    help = f"Create the demo account ({DEMO_USERNAME} / {DEMO_PASSWORD}) with 90 days of diary."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="delete and rebuild the demo account")

    def handle(self, *args: Any, reset: Any, **options: Any) -> None:
        User = get_user_model()
        with transaction.atomic():
            existing = User.objects.filter(username=DEMO_USERNAME).first()
            if existing and not reset:
                self.stdout.write(f"Demo account exists: log in as {DEMO_USERNAME} / {DEMO_PASSWORD}.")
                return
            if existing:
                existing.delete()
            patient = User.objects.create_user(username=DEMO_USERNAME, password=DEMO_PASSWORD)
            today = dt.datetime.now(zoneinfo.ZoneInfo(DEMO_TIMEZONE)).date()
            summary = import_diary(patient=patient, document=demo_document(today))
        self.stdout.write(
            f"Demo account ready: log in as {DEMO_USERNAME} / {DEMO_PASSWORD} "
            f"({summary.episodes_created} episodes, {summary.checkins} check-ins)."
        )
