"""Export one account's diary in the interchange format."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from diary.interchange import dumps, export_diary


class Command(BaseCommand):
    help = "Export a user's diary as numbness-diary/2 JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("--out", help="file to write; standard output when omitted")

    def handle(self, *args: Any, user: Any, out: Any, **options: Any) -> None:
        patient = get_user_model().objects.filter(username=user).first()
        if patient is None:
            raise CommandError(f"No user {user!r}.")
        text = dumps(export_diary(patient))
        if out:
            with open(out, "w", encoding="utf-8") as f:
                f.write(text)
        else:
            self.stdout.write(text, ending="")
