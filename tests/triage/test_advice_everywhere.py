"""One sign, one answer (DESIGN §5, triage/advice.py): the save screen, the alert page, Today's banner, the Flags
page, the email, the page a push opens and the report say the same level and title (and, where they show it, the
same message) for an on-time entry, one logged late, and an on-time entry edited late to add a stroke sign."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import Client

from report import sharing
from tests.conftest import make_patient
from tests.diary.test_log_episode import form_data
from tests.pwa.conftest import device, push_service, vapid_keys  # noqa: F401 - fixtures
from triage.review import review_patient

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # Europe/London: noon on 10 March
JSON = {"accept": "application/json"}


@dataclass(frozen=True)
class Said:
    level: str
    title: str
    message: str | None = None  # None where the surface shows no message (the banner, the report)


STROKE_NOW = Said(
    "emergency",
    "Possible signs of a stroke",
    "Call 112 now. A drooping face, a weak or numb arm, slurred speech, trouble seeing, suddenly losing your "
    "balance, a sudden very bad headache, confusion or a leg you cannot move can be signs of a stroke. Call even "
    "if the signs have gone away. Tell them the time the signs started.",
)
STROKE_PASSED = Said(
    "urgent",
    "Signs of a stroke that have passed",
    "See a doctor today, even though these signs have gone. Signs like these that come and go can be a warning "
    "that a stroke may follow, so they need checking today. Call your doctor or an urgent care service now. If "
    "any sign comes back, call 112 at once.",
)


def save(client: Client, url: str, started: str, **fields: object) -> dict[str, Any]:
    data = form_data(when="earlier", started_at=started, **fields)
    reply: dict[str, Any] = client.post(url, data, headers=JSON).json()
    return reply


def on_time(client: Client) -> dict[str, Any]:
    with time_machine.travel(NOW, tick=False):
        return save(client, "/log/", "2026-03-10T11:00", alarm_symptoms=["speech_difficulty"])


def logged_late(client: Client) -> dict[str, Any]:
    with time_machine.travel(NOW, tick=False):
        return save(client, "/log/", "2026-03-07T11:00", alarm_symptoms=["speech_difficulty"])


def edited_late(client: Client) -> dict[str, Any]:
    """Logged on time two days ago with nothing alarming; today the patient adds slurred speech to it."""
    with time_machine.travel(NOW - dt.timedelta(days=2), tick=False):
        first = save(client, "/log/", "2026-03-08T11:00", alarm_none="on")
    with time_machine.travel(NOW, tick=False):
        edit = f"/episodes/{first['id']}/edit/"
        return save(client, edit, "2026-03-08T11:00", alarm_symptoms=["speech_difficulty"])


CASES = {
    "on time": (on_time, STROKE_NOW),
    "logged late": (logged_late, STROKE_PASSED),
    "edited late": (edited_late, STROKE_PASSED),
}


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def alert_page(client: Client, url: str) -> Said:
    page = client.get(url).content.decode()
    [(section, body)] = re.findall(r'<section class="alert alert-(\w+)"(.*?)</section>', page, re.S)
    title = text(re.findall(r"<h3[^>]*>(.*?)</h3>", body, re.S)[0])
    message = text(re.findall(r"<p>(.*?)</p>", body, re.S)[0])
    action = text(re.findall(r'<h2 id="alert-screen-title"[^>]*>(.*?)</h2>', page, re.S)[0])
    assert action == {"emergency": "Act now", "urgent": "See a doctor today"}[section]
    assert ("tel:112" in body) == (section == "emergency")
    return Said(section, title, message)


def banner(client: Client) -> Said:
    page = client.get("/").content.decode()
    level = re.findall(r'class="flag-banner level-(\w+)"', page)[0]
    label, title = re.findall(r"<p><strong>(.*?):</strong> (.*?)\.</p>", page)[0]
    assert label == {"emergency": "Emergency", "urgent": "See a doctor today"}[level]
    assert ('href="tel:112"' in page) == (level == "emergency")
    return Said(level, text(title))


def flag_on_page(page: str, flag_id: str) -> Said:
    found = re.search(rf'<article class="flag level-(\w+) status-open" id="flag-{flag_id}">(.*?)</article>', page, re.S)
    assert found, flag_id
    level, body = found.groups()
    title = text(re.findall(r"<h3>(.*?)</h3>", body, re.S)[0])
    message = text(re.findall(r"</header>\s*<p>(.*?)</p>", body, re.S)[0])
    assert ('href="tel:112"' in body) == (level == "emergency")
    return Said(level, title, message)


def email_says(subject: str, body: str) -> Said:
    title, label = re.findall(r"noticed something in what you logged: (.*) \((.*)\)\.", body)[0]
    level = {"Emergency": "emergency", "See a doctor today": "urgent"}[label]
    # The subject, which a mail app shows on a lock screen, says how soon, not what: the title is in the body.
    assert subject == {"emergency": "Numbness Diary: Please read this now",
                       "urgent": "Numbness Diary: Please read this today"}[level]  # fmt: skip
    # What a mail app previews, the opening, says how soon, not what: the title is below it.
    opening = body.split("\n\n")[1]
    assert opening.startswith(subject.removeprefix("Numbness Diary: ")) and title not in opening
    return Said(level, title, body.split("\n\n")[3].strip())  # the fourth paragraph: the advice itself


def report(patient) -> Said:
    link = sharing.create_link(patient=patient, first=dt.date(2026, 3, 1), last=dt.date(2026, 3, 10))
    page = Client().get(f"/share/{link.token}/").content.decode()
    red = page[page.index("Red flags") : page.index("Patterns flagged")]
    # The physician reads the clinical title; what the patient was told follows it, as every other page says it.
    level, title = re.findall(
        r'<h3><span class="level">(?:⚠ )?(\w+)</span> .*? <span class="advised">· told: “(.*?)”</span>', red
    )[0]
    assert "Sources: Stroke: symptoms (NHS)" in red  # the report prints the red flag's sources
    return Said({"Emergency": "emergency", "Urgent": "urgent"}[level], text(title))


@pytest.mark.parametrize("case", CASES)
def test_every_surface_says_the_same_for_one_stroke_sign(
    db,
    case,
    device,  # noqa: F811 - the fixture imported above
    push_service,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    story, expected = CASES[case]
    by_mail, by_push = make_patient("mo"), make_patient("pu")
    browser = device(by_push)
    clients = {}
    for patient in (by_mail, by_push):
        client = Client()
        client.force_login(patient)
        clients[patient.pk] = client
    reply = story(clients[by_mail.pk])
    story(clients[by_push.pk])
    web = clients[by_mail.pk]

    [alert] = reply["alerts"]  # the save screen's own words, as the log form and the offline queue get them
    said = {"save screen": Said(alert["level"], alert["title"], alert["message"])}
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        said["alert page"] = alert_page(web, reply["alert_url"])
        said["Today"] = banner(web)
        flag = by_mail.flags.get()  # opened by the save: no review has run yet
        said["Flags"] = flag_on_page(web.get("/flags/").content.decode(), str(flag.id))
        with django_capture_on_commit_callbacks(execute=True):
            review_patient(by_mail.pk)
            review_patient(by_push.pk)
        [email] = mail.outbox
        assert email.to == [by_mail.email]
        said["email"] = email_says(str(email.subject), str(email.body))
        [pushed] = [browser.decrypt(r.body) for r in push_service.received]
        assert pushed["body"] == "There is something in your diary to read"  # nothing on the lock screen
        path, _, anchor = pushed["url"].partition("#flag-")
        said["push"] = flag_on_page(clients[by_push.pk].get(path).content.decode(), anchor)
        said["report"] = report(by_mail)
        [record] = web.get("/api/v1/flags/").json()  # an app reading the API shows what the pages show
        said["API"] = Said(record["level"], record["title"], record["message"])
        assert record["call"] is (expected.level == "emergency")

    for surface, words in said.items():
        assert words.level == expected.level and words.title == expected.title, surface
        assert words.message in (None, expected.message), surface
