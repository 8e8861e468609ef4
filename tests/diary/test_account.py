"""Sign-up, settings, password change, "Download my data" and "Delete my account"."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.models import CheckIn, Episode, EpisodeLocation, Profile
from tests.conftest import log, scripts_run_by


def test_signup_uses_the_device_time_zone_and_its_emergency_number(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "maria",
            "email": "",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "timezone": "America/New_York",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/"
    profile = Profile.objects.get(user__username="maria")
    assert (profile.timezone, profile.emergency_number) == ("America/New_York", "911")
    assert "Log numbness" in client.get("/").content.decode()


def test_signup_errors_are_shown_and_no_account_is_made(client, db):
    response = client.post(
        "/accounts/signup/",
        {"username": "maria", "password1": "short", "password2": "other", "timezone": "Nowhere/City"},
    )
    assert response.status_code == 400
    assert 'id="password2-error"' in response.content.decode()
    assert not get_user_model().objects.filter(username="maria").exists()


def test_login_with_username_and_password(client, patient):
    response = client.post("/accounts/login/", {"username": "alice", "password": "a-long-pass-phrase"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_settings_save_and_validate(web, patient):
    page = web.get("/settings/").content.decode()
    assert 'value="Europe/London" selected' in page
    ok = web.post(
        "/settings/",
        {
            "timezone": "Asia/Tokyo",
            "emergency_number": "119",
            "conditions": ["diabetes"],
            "reminder_time": "20:30",
            "email": "alice@example.org",
        },
    )
    assert ok.status_code == 302
    patient.profile.refresh_from_db()
    assert (patient.profile.timezone, patient.profile.emergency_number, patient.profile.conditions) == (
        "Asia/Tokyo",
        "119",
        ["diabetes"],
    )
    bad = web.post("/settings/", {"timezone": "Mars/Base", "emergency_number": "help!", "conditions": ["gout"]})
    assert bad.status_code == 400
    page = bad.content.decode()
    for field in ("timezone", "emergency_number", "conditions"):
        assert f'id="{field}-error"' in page
    patient.profile.refresh_from_db()
    assert patient.profile.timezone == "Asia/Tokyo"


def test_profile_api_validates(api, patient):
    bad = api.patch("/api/v1/profile/", {"timezone": "Nowhere", "conditions": ["gout"]}, format="json")
    assert bad.status_code == 400 and {"timezone", "conditions"} <= bad.json().keys()
    ok = api.patch("/api/v1/profile/", {"conditions": ["pregnancy", "diabetes", "diabetes"]}, format="json")
    assert ok.json()["conditions"] == ["diabetes", "pregnancy"]


def test_password_change(web, patient):
    response = web.post(
        "/accounts/password/",
        {
            "old_password": "a-long-pass-phrase",
            "new_password1": "new-secret-words-9",
            "new_password2": "new-secret-words-9",
        },
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password("new-secret-words-9")


def test_download_my_data_is_the_interchange_document(web, patient):
    episode = log(patient, notes="ünïcode ok")
    response = web.get("/settings/my-data.json")
    assert response["Content-Disposition"].startswith('attachment; filename="numbness-diary-')
    data = json.loads(response.content)
    assert data["format"] == "numbness-diary/2"
    assert [e["id"] for e in data["episodes"]] == [str(episode.id)]
    assert data["episodes"][0]["notes"] == "ünïcode ok"


def test_delete_account_needs_the_password_and_removes_every_row(web, patient, other_patient):
    import datetime as dt

    from report.models import ShareAccess, ShareLink
    from report.sharing import create_link, resolve
    from triage.models import Flag, PatientReview
    from triage.review import review_patient

    for who in (patient, other_patient):
        log(who, triggers=["injury"])
        review_patient(who.pk)
        token = create_link(patient=who, first=dt.date(2026, 1, 1), last=dt.date(2026, 2, 1)).token
        resolve(token, "page")
    refused = web.post("/settings/delete-account/", {"password": "wrong"})
    assert refused.status_code == 400 and patient.episodes.count() == 1
    web.post("/settings/delete-account/", {"password": "a-long-pass-phrase"})
    assert not get_user_model().objects.filter(username="alice").exists()
    assert list(Episode.objects.values_list("patient__username", flat=True)) == ["bob"]
    assert EpisodeLocation.objects.count() == 1
    assert list(CheckIn.objects.values_list("patient__username", flat=True)) == ["bob"]
    assert list(Profile.objects.values_list("user__username", flat=True)) == ["bob"]
    for model, owner in (
        (Flag, "patient"),
        (PatientReview, "patient"),
        (ShareLink, "patient"),
        (ShareAccess, "link__patient"),
    ):
        assert list(model.objects.values_list(f"{owner}__username", flat=True)) == ["bob"], model


def test_password_reset_by_email(client, patient):
    import re

    from django.core import mail

    assert "Forgot your password?" in client.get("/accounts/login/").content.decode()
    client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    [message] = mail.outbox
    found = re.search(r"http://testserver(/accounts/reset/\S+/)", str(message.body))
    assert found
    link = found.group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-phrase-7", "new_password2": "a-brand-new-phrase-7"},
    )
    patient.refresh_from_db()
    assert patient.check_password("a-brand-new-phrase-7")
    assert "has been used or has expired" in client.get(link, follow=True).content.decode()


def test_signup_explains_the_diary_and_shows_the_password_rules_before_typing(client, db):
    page = client.get("/accounts/signup/").content.decode()
    assert "What it does" in page and "Not a diagnosis" in page and "Your data" in page
    assert "at least 8 characters" in page and 'aria-describedby="password-rules"' in page
    assert 'name="display_name"' in page and 'name="date_of_birth"' in page and 'name="email"' in page
    assert '<select name="timezone"' in page and "data-numbers=" in page and "timezone" in scripts_run_by(page)


def test_signup_errors_keep_what_was_typed(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "maria",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-batter",
            "display_name": "Maria Rossi",
            "email": "maria@example.org",
            "timezone": "Europe/Rome",
            "emergency_number": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="password2-error"' in page
    for kept in ('value="maria"', 'value="Maria Rossi"', 'value="maria@example.org"', 'value="Europe/Rome" selected'):
        assert kept in page
    assert page.count('value="correct-horse-battery"') == 1 and 'value="correct-horse-batter"' in page
    assert "no-store" in response["Cache-Control"]
    assert not get_user_model().objects.filter(username="maria").exists()


def test_signup_keeps_name_birth_date_email_and_a_chosen_number(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "maria",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "display_name": "  Maria Rossi ",
            "email": "maria@example.org",
            "date_of_birth": "1970-05-04",
            "timezone": "Europe/Rome",
            "emergency_number": "118",
        },
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user__username="maria")
    assert (profile.display_name, str(profile.date_of_birth), profile.emergency_number, profile.timezone) == (
        "Maria Rossi",
        "1970-05-04",
        "118",
        "Europe/Rome",
    )
    assert profile.user.email == "maria@example.org"


def test_signup_refuses_a_bad_number_and_a_birth_date_in_the_future(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "username": "maria",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "timezone": "Europe/Rome",
            "emergency_number": "call me",
            "date_of_birth": "2999-01-01",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="emergency_number-error"' in page and "digits only" in page
    assert 'id="date_of_birth-error"' in page and "can&#x27;t be in the future" in page
    assert not get_user_model().objects.filter(username="maria").exists()


def test_settings_add_and_change_the_email_and_name(web, patient):
    page = web.get("/settings/").content.decode()
    assert 'value="alice@example.org"' in page and "reset a forgotten password" in page
    web.post("/settings/", {"timezone": "Europe/London", "emergency_number": "999", "email": "", "display_name": ""})
    patient.refresh_from_db()
    assert patient.email == ""
    response = web.post(
        "/settings/",
        {"timezone": "Europe/London", "emergency_number": "999", "email": "new@example.org", "display_name": "Alice B"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.email, patient.profile.display_name) == ("new@example.org", "Alice B")
    bad = web.post("/settings/", {"timezone": "Europe/London", "emergency_number": "999", "email": "not an email"})
    assert bad.status_code == 400 and 'id="email-error"' in bad.content.decode()
    patient.refresh_from_db()
    assert patient.email == "new@example.org"


@pytest.mark.parametrize("push", [True, False], ids=["push configured", "no push on this server"])
def test_a_reminder_needs_an_email_or_notifications_where_the_server_has_them(web, patient, settings, push):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""
    settings.VAPID_DEV_KEY_FILE = None  # as in production: no keys, no push
    if push:
        settings.VAPID_PUBLIC_KEY, settings.VAPID_PRIVATE_KEY = "public-key", "private-key"
    response = web.post(
        "/settings/", {"timezone": "Europe/London", "emergency_number": "999", "email": "", "reminder_time": "20:00"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    offered = "A daily reminder needs an email address to go to, or notifications turned on for this phone."
    alone = "A daily reminder needs an email address to go to."
    assert (offered in page, alone in page) == (push, not push)  # never a way the page says is not there
    patient.refresh_from_db()
    assert patient.email == "alice@example.org" and patient.profile.reminder_time is None


def test_the_report_shows_the_name_from_settings(patient):
    from report import content

    today = timezone.localdate()
    assert content.build(patient, today, today).patient_name == "alice"
    patient.profile.display_name = "Alice Bell"
    patient.profile.save()
    assert content.build(patient, today, today).patient_name == "Alice Bell"


def test_an_account_comes_with_its_profile(db):
    user = get_user_model().objects.create_user("newcomer", password="a-long-pass-phrase")
    assert Profile.objects.filter(user=user).exists()


@pytest.mark.parametrize("path", ["/", "/history/", "/trends/", "/flags/", "/report/", "/settings/"])
def test_reading_a_page_writes_nothing_and_reads_the_profile_once(client, patient, path):
    client.force_login(patient)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    statements = [q["sql"].lstrip().split()[0].upper() for q in queries.captured_queries]
    writes = [s for s in statements if s in ("INSERT", "UPDATE", "DELETE")]
    # The session's last-activity update is Django's, not ours: only the session table may be written.
    assert all("django_session" in q["sql"] for q in queries.captured_queries if q["sql"].split()[0].upper() in writes)
    profile_reads = [q for q in queries.captured_queries if 'FROM "diary_profile"' in q["sql"]]
    assert len(profile_reads) == 1


def test_the_profile_api_carries_the_name(api, patient):
    assert api.patch("/api/v1/profile/", {"display_name": "Alice Bell"}, format="json").json()["display_name"] == (
        "Alice Bell"
    )
    too_long = api.patch("/api/v1/profile/", {"display_name": "x" * 81}, format="json")
    assert too_long.status_code == 400 and "display_name" in too_long.json()
    patient.profile.refresh_from_db()
    assert patient.profile.display_name == "Alice Bell"


def test_favicon_points_at_the_app_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")
