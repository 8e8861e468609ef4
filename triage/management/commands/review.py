"""Review one patient now and print their flags (DESIGN §6)."""

import datetime as dt
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage.presenters import flag_records
from triage.review import review_patient


class Command(BaseCommand):
    help = "Run the warning-sign review for one user and print the resulting flags."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("--as-of", help="review date YYYY-MM-DD in the patient's time zone (default: today)")
        parser.add_argument("--dry-run", action="store_true", help="compute and print, but change no flag")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print JSON")

    def handle(self, *args: Any, user: Any, as_of: Any, dry_run: Any, as_json: Any, **options: Any) -> None:
        patient = get_user_model().objects.filter(username=user).first()
        if patient is None:
            raise CommandError(f"No user {user!r}.")
        try:
            day = dt.date.fromisoformat(as_of) if as_of else None
        except ValueError as e:
            raise CommandError(f"--as-of: expected YYYY-MM-DD, got {as_of!r}.") from e
        result = review_patient(patient.pk, day, dry_run=dry_run)
        flags = flag_records(patient, result.flags)
        if as_json:
            self.stdout.write(json.dumps({"flags": flags}, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"Review of {user} as of {result.as_of}{' (dry run)' if dry_run else ''}:")
        for flag in flags:
            self.stdout.write(f"  {flag['status']:<12} {flag['level']:<10} {flag['code']}")
        if not flags:
            self.stdout.write("  no flags")
