"""API tokens (django-rest-knox): ended by a new password on every path, expiring unless used, listed in Settings
as "Apps with access" with "Sign out everywhere", and kept only as a digest."""

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from diary import accounts
from diary.models import ApiToken
from tests.conftest import make_patient

PASSWORD = "a-long-pass-phrase"
NEW = "a-brand-new-phrase-7"


def reads(token: str) -> int:
    """The status of reading the whole diary with this token (the probe read /api/v1/export/)."""
    return APIClient().get("/api/v1/export/", HTTP_AUTHORIZATION=f"Token {token}").status_code


def token_from_endpoint(username: str = "alice", password: str = PASSWORD, **extra: str) -> str:
    response = APIClient().post("/api/v1/token/", {"username": username, "password": password, **extra}, format="json")
    assert response.status_code == 200, response.content
    key: str = response.json()["token"]
    return key


def test_the_token_endpoint_keeps_working_for_existing_clients(patient):
    form = Client().post("/api/v1/token/", {"username": "alice", "password": PASSWORD})  # a form, as before
    assert form.status_code == 200 and set(form.json()) == {"token", "expiry"}
    assert reads(form.json()["token"]) == 200
    assert reads(token_from_endpoint()) == 200
    wrong = APIClient().post("/api/v1/token/", {"username": "alice", "password": "nope"}, format="json")
    assert wrong.status_code == 400 and "non_field_errors" in wrong.json()


def test_only_a_digest_is_stored(patient):
    key = token_from_endpoint()
    stored = ApiToken.objects.get()
    assert key not in (stored.digest, stored.token_key) and stored.token_key == key[:15]
    assert len(stored.digest) == 128  # SHA-512


def test_a_password_change_ends_the_tokens(web, patient):
    key = token_from_endpoint()
    response = web.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    assert reads(key) == 401
    assert reads(token_from_endpoint(password=NEW)) == 200


def test_a_password_reset_ends_the_tokens(client, patient):
    key = token_from_endpoint()
    client.post("/accounts/password-reset/", {"email": "alice@example.org"})
    found = re.search(r"http://testserver(/accounts/reset/\S+/)", str(mail.outbox[0].body))
    assert found
    form_page = client.get(found.group(1), follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert reads(key) == 401


def test_a_password_set_in_the_admin_ends_the_tokens(client, patient):
    key = token_from_endpoint()
    get_user_model().objects.create_superuser("admin", "admin@example.org", "an-admin-pass-phrase")
    client.login(username="admin", password="an-admin-pass-phrase")
    response = client.post(
        f"/admin/auth/user/{patient.pk}/password/", {"password1": NEW, "password2": NEW, "usable_password": "true"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert reads(key) == 401


def test_set_password_anywhere_ends_the_tokens(patient):
    key = token_from_endpoint()
    patient.set_password(NEW)
    patient.save(update_fields=["password"])
    assert reads(key) == 401


def test_the_changepassword_command_ends_the_tokens(patient, monkeypatch):
    key = token_from_endpoint()
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW)
    call_command("changepassword", "alice", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert reads(key) == 401


def test_saving_the_account_otherwise_or_upgrading_the_hash_ends_nothing(patient, settings):
    key = token_from_endpoint()
    patient.email = "new@example.org"
    patient.save()
    # A new preferred hasher: the next sign-in re-hashes the same password, which is no new password.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher", *settings.PASSWORD_HASHERS]
    assert Client().login(username="alice", password=PASSWORD)
    patient.refresh_from_db()
    assert patient.password.startswith("pbkdf2_sha1$")
    assert reads(key) == 200


def test_a_token_ends_after_the_configured_days_unused_and_lives_on_while_used(patient, settings):
    assert settings.API_TOKEN_DAYS == 90
    start = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        used, unused = token_from_endpoint(name="phone"), token_from_endpoint(name="tablet")
    with time_machine.travel(start + dt.timedelta(days=80), tick=False):
        assert reads(used) == 200  # used on day 80: its term starts again
    with time_machine.travel(start + dt.timedelta(days=91), tick=False):
        assert reads(unused) == 401
        assert reads(used) == 200
    with time_machine.travel(start + dt.timedelta(days=91 + 91), tick=False):
        assert reads(used) == 401  # unused since day 91
    assert not ApiToken.objects.exists()  # expired tokens are deleted as they are met


def test_signing_in_again_under_the_same_name_replaces_that_apps_token(patient, settings):
    first = token_from_endpoint(name="Diary app on Pixel 8")
    second = token_from_endpoint(name="Diary app on Pixel 8")
    other = token_from_endpoint(name="Diary app on iPad")
    assert (reads(first), reads(second), reads(other)) == (401, 200, 200)
    settings.API_TOKENS_PER_PATIENT = 3
    keys = [token_from_endpoint() for _ in range(4)]  # unnamed: each is its own
    assert ApiToken.objects.filter(user=patient).count() == 3
    assert reads(keys[-1]) == 200


def test_settings_list_the_apps_with_access_and_remove_one(web, patient):
    token_from_endpoint(name="Diary app on Pixel 8")
    kept = token_from_endpoint(name="Sleep tracker")
    page = web.get("/settings/").content.decode()
    assert "Apps with access" in page and "Diary app on Pixel 8" in page and "Sleep tracker" in page
    removed = ApiToken.objects.get(name="Diary app on Pixel 8")
    response = web.post(f"/settings/apps/{removed.digest}/remove/")
    assert response.status_code == 302
    assert "Diary app on Pixel 8" not in web.get("/settings/").content.decode()
    assert reads(kept) == 200


def test_an_app_without_a_name_is_listed_by_its_user_agent(web, patient):
    APIClient().post(
        "/api/v1/token/", {"username": "alice", "password": PASSWORD}, format="json", HTTP_USER_AGENT="DiaryCLI/2.1"
    )
    assert "DiaryCLI/2.1" in web.get("/settings/").content.decode()


def test_a_patient_cannot_remove_another_patients_app(client, patient, other_patient):
    key = token_from_endpoint()
    client.force_login(other_patient)
    assert client.post(f"/settings/apps/{ApiToken.objects.get().digest}/remove/").status_code == 404
    assert reads(key) == 200
    assert client.get("/settings/").content.decode().count("An app") == 0


def test_sign_out_everywhere_ends_every_session_and_token_of_the_patient_only(patient, other_patient):
    phone, laptop, bobs = Client(), Client(), Client()
    for browser, who in ((phone, patient), (laptop, patient), (bobs, other_patient)):
        browser.post("/accounts/login/", {"username": who.username, "password": PASSWORD})
        assert browser.get("/").status_code == 200
    key, bobs_key = token_from_endpoint(), token_from_endpoint("bob")
    response = laptop.post("/settings/sign-out-everywhere/", follow=True)
    assert "You are signed out everywhere" in response.content.decode()
    assert phone.get("/").status_code == 302 and laptop.get("/").status_code == 302
    assert reads(key) == 401
    assert bobs.get("/").status_code == 200 and reads(bobs_key) == 200
    assert not any(s.get_decoded().get("_auth_user_id") == str(patient.pk) for s in Session.objects.all())


def test_sign_out_everywhere_is_a_post(web):
    assert web.get("/settings/sign-out-everywhere/").status_code == 405


def test_tokens_of_drf_authtoken_are_carried_over_as_digests(db):
    """The migration from rest_framework.authtoken: an app holding its old 40-character key goes on working."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("diary.migrations.0011_api_tokens_from_drf_tokens")
    patient = make_patient("carol")
    old_key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id integer, created timestamp)")
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [old_key, patient.pk, "2025-05-01 10:00:00"])

    class Editor:  # the part of a schema editor the migration uses (SQLite's can't open inside a test's transaction)
        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.carry_over(apps, Editor())
    assert "authtoken_token" not in connection.introspection.table_names()
    assert reads(old_key) == 200
    token = ApiToken.objects.get(user=patient)
    assert token.created.date() == dt.date(2025, 5, 1) and old_key not in (token.digest, token.token_key)


@pytest.mark.parametrize("bad", ["Token", "Token a b", "Token " + "f" * 64, "Token zz" + "0" * 62])
def test_a_bad_token_header_is_a_401(db, bad):
    assert APIClient().get("/api/v1/export/", HTTP_AUTHORIZATION=bad).status_code == 401


def test_issue_token_gives_the_key_once(patient):
    token, key = accounts.issue_token(patient, "  Diary app  ")
    assert token.name == "Diary app" and len(key) == 64
