"""Password limits that can't be sidestepped and can't lock a patient out.

Every spelling of a name that reaches the same account shares its budget (NFKC + casefold); the admin's sign-in,
the password change and the account deletion count like the login form; and a browser that signed in to the
account before keeps its own allowance (OWASP's device cookies), so strangers guessing can't lock the patient
out of their own phone. The Django admin is off in production unless ADMIN_ENABLED=1.
"""

import importlib

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import clear_url_caches
from rest_framework.test import APIClient

from tests.test_deployment import settings_import
from web import throttles

PASSWORD = "a-long-pass-phrase"
# NFKC turns each of these into "alice": the login form accepts them all as alice's name.
SPELLINGS = ["ａlice", "aｌice", "ａｌｉｃｅ", "𝐚𝐥𝐢𝐜𝐞", "ALICE", "Alice ", "ＡＬＩＣＥ"]


@pytest.fixture
def small_limits(settings, clock_held):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {
        "password-account": "3/15m",
        "password-address": "100/15m",
        "password-device": "3/15m",
    }


def login(client: Client, username: str = "alice", password: str = "wrong", address: str = "192.0.2.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def use_up_the_account(username: str = "alice") -> None:
    """A stranger's wrong guesses, from addresses of their own, until the account's budget is spent."""
    answers = [login(Client(), username, address=f"203.0.113.{n}").status_code for n in range(3)]
    assert set(answers) <= {200, 429}
    assert login(Client(), username, PASSWORD, address="203.0.113.99").status_code == 429


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_a_name_is_one_identity(spelling):
    assert throttles.identity(spelling) == "alice"


def test_a_full_width_name_signs_in_as_the_account(patient):
    """Why the spellings matter: the form normalises them, so each is a door to alice."""
    assert login(Client(), "ａlice", PASSWORD).status_code == 302


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_other_spellings_share_the_accounts_budget(patient, small_limits, spelling):
    use_up_the_account("alice")
    assert login(Client(), spelling, PASSWORD, address="198.51.100.7").status_code == 429
    answer = APIClient().post(
        "/api/v1/token/", {"username": spelling, "password": PASSWORD}, format="json", REMOTE_ADDR="198.51.100.8"
    )
    assert answer.status_code == 429


def test_the_admin_sign_in_counts_with_the_others(db, small_limits):
    get_user_model().objects.create_superuser("admin", "admin@example.org", "an-admin-pass-phrase")
    for n in range(3):
        response = Client().post(
            "/admin/login/", {"username": "ＡＤＭＩＮ", "password": "x"}, REMOTE_ADDR=f"192.0.2.{n}"
        )
        assert response.status_code == 200
    blocked = Client().post("/admin/login/", {"username": "admin", "password": "an-admin-pass-phrase"})
    assert blocked.status_code == 429 and int(blocked["Retry-After"]) > 0
    assert login(Client(), "admin", "an-admin-pass-phrase").status_code == 429  # one budget, every door


def test_wrong_old_passwords_at_the_password_change_are_counted(web, patient, small_limits):
    for _ in range(3):
        response = web.post(
            "/accounts/password/", {"old_password": "x", "new_password1": "n" * 12, "new_password2": "n" * 12}
        )
        assert response.status_code == 200
    response = web.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "new-secret-words-9", "new_password2": "new-secret-words-9"},
    )
    assert response.status_code == 429 and "Too many password attempts" in response.content.decode()
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD)


def test_wrong_passwords_at_the_account_deletion_are_counted(web, patient, small_limits):
    for _ in range(3):
        assert web.post("/settings/delete-account/", {"password": "x"}).status_code == 400
    assert web.post("/settings/delete-account/", {"password": PASSWORD}).status_code == 429
    assert get_user_model().objects.filter(pk=patient.pk).exists()


def test_a_stranger_cannot_lock_the_patient_out_of_their_own_phone(patient, small_limits):
    phone = Client()
    assert login(phone, "alice", PASSWORD).status_code == 302  # signed in here before: the phone is remembered
    phone.post("/accounts/logout/")

    use_up_the_account("alice")  # strangers, without the cookie
    assert login(Client(), "alice", PASSWORD, address="198.51.100.1").status_code == 429  # a new browser waits
    assert login(phone, "alice", PASSWORD).status_code == 302  # the patient's phone does not


def test_a_trusted_device_has_its_own_allowance_and_it_is_limited_too(patient, small_limits):
    phone = Client()
    assert login(phone, "alice", PASSWORD).status_code == 302
    phone.post("/accounts/logout/")
    for _ in range(3):
        assert login(phone, "alice").status_code == 200
    assert login(phone, "alice", PASSWORD).status_code == 429  # a stolen phone guesses no faster
    assert login(Client(), "alice", PASSWORD).status_code == 302  # and spends nothing of the account's budget


def test_the_device_cookie_is_for_one_account_and_signed(patient, other_patient, small_limits):
    phone = Client()
    assert login(phone, "alice", PASSWORD).status_code == 302
    cookie = phone.cookies[throttles.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "alice" in cookie.value and cookie.value.count(":") >= 2  # account:nonce:signature
    phone.post("/accounts/logout/")

    use_up_the_account("bob")
    assert login(phone, "bob", PASSWORD).status_code == 429  # alice's phone is no trusted device for bob

    forged = Client()
    forged.cookies[throttles.DEVICE_COOKIE] = cookie.value.replace("alice", "bob", 1)
    assert login(forged, "bob", PASSWORD).status_code == 429  # a name changed in the cookie breaks its signature


def test_an_api_client_that_keeps_cookies_is_a_trusted_device(patient, small_limits):
    app = APIClient()
    assert app.post("/api/v1/token/", {"username": "alice", "password": PASSWORD}, format="json").status_code == 200
    use_up_the_account("alice")
    assert app.post("/api/v1/token/", {"username": "alice", "password": PASSWORD}, format="json").status_code == 200


@pytest.fixture
def urls_with(settings):
    """Reload the URLs with ADMIN_ENABLED set as given; restored afterwards."""
    import config.urls

    def reload(enabled: bool) -> None:
        settings.ADMIN_ENABLED = enabled
        importlib.reload(config.urls)
        clear_url_caches()

    yield reload
    settings.ADMIN_ENABLED = True
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_is_served_only_when_enabled(client, db, urls_with):
    urls_with(False)
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/login/").status_code == 404
    urls_with(True)
    assert client.get("/admin/login/").status_code == 200


@pytest.mark.integration  # reads the settings in another process
@pytest.mark.parametrize(("variables", "enabled"), [({}, "False"), ({"ADMIN_ENABLED": "1"}, "True")])
def test_production_turns_the_admin_off_unless_asked(variables, enabled):
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMIN_ENABLED)"
    result = settings_import(code, ENVIRONMENT="production", DEBUG="0", SECRET_KEY="k" * 50, **variables)
    assert result.stdout.strip() == enabled, result.stderr


def test_development_serves_the_admin(settings):
    assert settings.ADMIN_ENABLED is True
