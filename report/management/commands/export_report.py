"""Write the physician report for a user and period as PDF, CSV or FHIR JSON."""

import datetime as dt
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from diary import zones
from report import content
from report.csv_export import report_csv
from report.fhir_export import fhir_bundle, fhir_transaction
from report.pdf import PAPER_SIZES, render_pdf


def _date(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as e:
        raise CommandError(f"{option}: expected YYYY-MM-DD, got {value!r}.") from e


class Command(BaseCommand):
    help = "Export the physician report (pdf, csv, fhir or fhir-transaction) for a user and a period of local dates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True)
        parser.add_argument("--from", dest="first", required=True, help="first date, YYYY-MM-DD")
        parser.add_argument("--to", dest="last", required=True, help="last date, YYYY-MM-DD")
        parser.add_argument("--format", required=True, choices=["pdf", "csv", "fhir", "fhir-transaction"])
        parser.add_argument(
            "--paper", choices=sorted(PAPER_SIZES), help="default: the patient's usual paper (US Letter in the US…)"
        )
        parser.add_argument("--out", required=True, help="file to write")

    def handle(
        self, *args: Any, user: str, first: str, last: str, format: str, paper: str | None, out: str, **options: Any
    ) -> None:
        patient = get_user_model().objects.filter(username=user).first()
        if patient is None:
            raise CommandError(f"No user {user!r}.")
        first_day, last_day = _date(first, "--from"), _date(last, "--to")
        if first_day > last_day:
            raise CommandError("--to is before --from.")
        report = content.build(patient, first_day, last_day)
        if format == "pdf":
            data = render_pdf(report, paper or zones.paper_for(patient.profile.timezone))
        elif format == "csv":
            data = report_csv(report).encode("utf-8")
        else:
            bundle = fhir_bundle(report) if format == "fhir" else fhir_transaction(report)
            data = json.dumps(bundle, indent=2, ensure_ascii=False).encode("utf-8")
        with open(out, "wb") as f:
            f.write(data)
        self.stdout.write(f"Wrote {out}: {len(report.episodes)} episodes, {len(report.flags)} warning signs.")
