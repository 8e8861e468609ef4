"""Import a diary in the interchange format into one account, all or nothing."""

import sys
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from diary.interchange import InterchangeError, import_diary, parse


class Command(BaseCommand):
    help = "Import a numbness-diary/2 (or /1) JSON file into a user's diary (all records or none)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="path to the JSON file, or - for standard input")
        parser.add_argument("--user", required=True, help="username to import into")
        parser.add_argument("--create-user", action="store_true", help="create the user when missing")

    def handle(self, *args: Any, file: Any, user: Any, create_user: Any, **options: Any) -> None:
        User = get_user_model()
        patient = User.objects.filter(username=user).first()
        if patient is None and not create_user:
            raise CommandError(f"No user {user!r}; pass --create-user to create one.")
        limit = settings.IMPORT_MAX_BYTES
        try:
            if file == "-":
                text = sys.stdin.buffer.read(limit + 1)
            else:
                with open(file, "rb") as f:
                    text = f.read(limit + 1)
        except OSError as e:
            raise CommandError(f"Can't read {file}: {e.strerror}") from e
        if len(text) > limit:
            raise CommandError(f"Nothing was imported: the file is larger than {limit // (1024 * 1024)} MB.")
        try:
            document = parse(text)
            # A new account is part of the import: when the import fails, no empty account is left.
            with transaction.atomic():
                if patient is None:
                    patient = User.objects.create_user(username=user, password=None)
                summary = import_diary(patient=patient, document=document)
        except InterchangeError as e:
            raise CommandError("Nothing was imported:\n  " + "\n  ".join(e.problems)) from e
        self.stdout.write(
            f"Imported into {user}: {summary.episodes_created} new episodes, "
            f"{summary.episodes_replaced} replaced, {summary.checkins} check-ins."
        )
