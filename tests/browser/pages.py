"""Every page of the app, for the tests that check them all (layout, axe) and for `make screenshots`.

A page added to the app is checked once it is listed here. `diary_for_pages` builds one patient with
something on every page: weeks of episodes, a "no numbness" day (and its day page), an episode still going, an
emergency episode (so a warning sign is open and its screen exists), two sets of questionnaire answers, a share link
for the physician's page, and two treatments (one every day, one when needed and used).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from diary import services
from questionnaires.instruments import MNSI_HISTORY
from questionnaires.services import save_response
from report import sharing
from tests.conftest import add_treatment, log, make_patient
from treatments.services import save_dose
from triage.review import review_patient


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    signed_in: bool = True


SIGNED_OUT = [
    Page("login", "/accounts/login/", signed_in=False),
    Page("signup", "/accounts/signup/", signed_in=False),
    Page("password-reset", "/accounts/password-reset/", signed_in=False),
]


def diary_for_pages(username: str = "pages") -> tuple[User, list[Page]]:
    patient = make_patient(username, tz="Europe/London", emergency_number="999", display_name="Pat Example")
    now = timezone.now()
    today = timezone.localdate()
    for n in range(1, 40, 2):
        log(
            patient,
            started_at=now - dt.timedelta(days=n, hours=n % 5),
            severity=n % 11,
            duration_minutes=5 + n,
            triggers=["sitting"] if n % 3 else ["walking"],
            relieved_by=["changed_position"],
            notes="After a long drive." if n == 3 else "",
        )
    zone = services.profile_of(patient).zone
    logged = {e.started_at.astimezone(zone).date() for e in patient.episodes.all()}
    # The two episodes logged below may fall on yesterday just after midnight: never make that the quiet day.
    logged |= {(now - dt.timedelta(minutes=m)).astimezone(zone).date() for m in (50, 180)}
    quiet = next(today - dt.timedelta(days=n) for n in range(1, 40) if today - dt.timedelta(days=n) not in logged)
    services.save_checkin(patient=patient, date=quiet, numbness_today=False, today=today)
    log(patient, started_at=now - dt.timedelta(minutes=50), duration_minutes=None, severity=5)
    alarming = log(patient, started_at=now - dt.timedelta(hours=3), severity=7, symptoms=["speech_difficulty"])
    review_patient(patient.pk)
    # The MNSI answered twice, the last 29 days ago: Trends draws both, and Today offers it again.
    answered = [
        save_response(
            patient=patient,
            response_id=None,
            instrument=MNSI_HISTORY,
            completed_at=now - dt.timedelta(days=days),
            answers={str(n): n in yes for n in range(1, 16)},
            live=False,
        ).response
        for days, yes in ((38, {1, 2}), (29, {1, 2, 3, 5, 11}))
    ]
    link = sharing.create_link(patient=patient, first=today - dt.timedelta(days=90), last=today)
    # Treatments: one taken every day (a comparison on its page and on Trends), one when needed (Today's tap), used.
    pregabalin = add_treatment(patient, started_on=today - dt.timedelta(days=20), ingredient="pregabalin")
    ibuprofen = add_treatment(patient, "Ibuprofen", started_on=today - dt.timedelta(days=30), dose_amount="400",
                              schedule="as_needed", ingredient="ibuprofen")  # fmt: skip
    save_dose(patient=patient, dose_id=None, treatment_id=ibuprofen.id, taken_at=now - dt.timedelta(hours=2))
    pages = [
        *SIGNED_OUT,
        Page("today", "/"),
        Page("log", "/log/"),
        Page("edit", f"/episodes/{alarming.id}/edit/"),
        Page("history", "/history/"),
        Page("day", f"/days/{quiet:%Y-%m-%d}/"),
        Page("day-with-episodes", f"/days/{today - dt.timedelta(days=3):%Y-%m-%d}/"),
        Page("trends", "/trends/"),
        Page("trends-choose-dates", "/trends/?range=custom"),  # the period's From and To fields
        Page("flags", "/flags/"),
        Page("emergency", f"/alert/{alarming.id}/"),
        Page("report", "/report/"),
        Page("settings", "/settings/"),
        Page("password-change", "/accounts/password/"),
        Page("delete-episode", f"/episodes/{alarming.id}/delete/"),
        Page("delete-account", "/settings/delete-account/"),
        Page("treatments", "/treatments/"),
        Page("treatment-add", "/treatments/add/"),
        Page("treatment", f"/treatments/{pregabalin.id}/"),
        Page("treatment-as-needed", f"/treatments/{ibuprofen.id}/"),
        Page("treatment-dose", f"/treatments/{pregabalin.id}/dose/"),
        Page("treatment-stop", f"/treatments/{pregabalin.id}/stop/"),
        Page("treatment-edit", f"/treatments/{pregabalin.id}/edit/"),
        Page("treatment-delete", f"/treatments/{pregabalin.id}/delete/"),
        Page("questionnaire", "/questionnaires/mnsi-history/"),
        Page("questionnaire-result", f"/questionnaires/answers/{answered[-1].id}/"),
        Page("delete-answers", f"/questionnaires/answers/{answered[-1].id}/delete/"),
        Page("shared-report", f"/share/{link.token}/", signed_in=False),
    ]
    return patient, pages


def session_cookie(patient: User, base_url: str) -> dict[str, str]:
    """A signed-in session for a browser context, without typing into the login form."""
    client = Client()
    client.force_login(patient)
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base_url}
