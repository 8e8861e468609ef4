"""Throttles on login, the API token, sign-up and password reset: a guesser waits, the patient is not locked out."""

import pytest
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import make_patient
from web import throttles

PASSWORD = "a-long-pass-phrase"


@pytest.fixture
def small_limits(settings, clock_held):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {
        "password-account": "3/15m",
        "password-address": "5/15m",
        "signup-address": "2/h",
        "reset-account": "2/h",
        "reset-address": "2/h",
    }


def login(client: Client, username: str, password: str = "wrong", address: str = "192.0.2.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def assert_throttled(response, what: str) -> None:
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    text = response.content.decode() if hasattr(response, "content") else ""
    assert f"Too many {what}" in text and "Please wait" in text


def test_wrong_passwords_for_one_account_are_slowed_then_allowed_again(client, patient, small_limits, time_machine):
    time_machine.move_to("2026-03-01 10:00:00+00:00", tick=False)
    for n in range(3):
        assert login(client, "alice", address=f"192.0.2.{n}").status_code == 200  # the form, with its error
    blocked = login(client, "alice", PASSWORD, address="198.51.100.9")  # per account: even the right password waits
    assert_throttled(blocked, "sign-in attempts")
    assert "not locked" in blocked.content.decode()
    assert login(client, "bob-unknown").status_code == 200  # other accounts are unaffected

    time_machine.move_to("2026-03-01 10:31:00+00:00", tick=False)  # the window has passed: nothing is locked
    assert login(client, "alice", PASSWORD).status_code == 302


def test_one_address_guessing_many_accounts_is_slowed(client, db, small_limits):
    for n in range(5):
        assert login(client, f"user{n}").status_code == 200
    assert_throttled(login(client, "user99"), "sign-in attempts")
    assert login(client, "user99", address="192.0.2.200").status_code == 200  # another address is not


def test_the_api_token_shares_the_password_counters(db, small_limits):
    make_patient("alice", password=PASSWORD)
    api = APIClient()
    for _ in range(2):
        assert (
            api.post("/api/v1/token/", {"username": "alice", "password": "x"}, REMOTE_ADDR="192.0.2.1").status_code
            == 400
        )
    assert login(Client(), "alice").status_code == 200  # the third guess, at the login form
    answer = api.post("/api/v1/token/", {"username": "alice", "password": PASSWORD}, format="json")
    assert answer.status_code == 429 and int(answer["Retry-After"]) > 0
    assert "Too many sign-in attempts" in answer.json()["detail"]
    assert answer["Cache-Control"] == "no-store, private"


def test_the_token_endpoint_answers_a_right_password(db, small_limits):
    make_patient("alice", password=PASSWORD)
    answer = APIClient().post("/api/v1/token/", {"username": "alice", "password": PASSWORD}, format="json")
    assert answer.status_code == 200 and len(answer.json()["token"]) == 64


def test_signups_from_one_address_are_slowed(client, db, small_limits):
    def signup(n: int):
        data = {"username": f"new{n}", "email": f"new{n}@example.org", "timezone": "Europe/Paris"}
        data |= {"password1": "another-long-phrase", "password2": "another-long-phrase"}
        return Client().post("/accounts/signup/", data, REMOTE_ADDR="192.0.2.1")

    assert signup(1).status_code == 302 and signup(2).status_code == 302
    assert_throttled(signup(3), "sign-ups from this address")


def test_password_resets_are_slowed_per_email_and_per_address(client, patient, small_limits):
    def reset(email: str, address: str = "192.0.2.1"):
        return client.post("/accounts/password-reset/", {"email": email}, REMOTE_ADDR=address)

    assert reset("alice@example.org").status_code == 302
    assert reset("Alice@example.org", "192.0.2.2").status_code == 302
    assert_throttled(reset("alice@example.org", "192.0.2.3"), "password reset requests")  # per email
    assert len(mail.outbox) == 2  # nobody's inbox is flooded
    assert reset("someone@example.org").status_code == 302
    assert_throttled(reset("else@example.org"), "password reset requests")  # 192.0.2.1's third request


def test_with_redis_unreachable_nothing_is_limited_and_it_is_logged(client, patient, settings, small_limits, caplog):
    settings.CACHES = {
        "default": {
            "BACKEND": "web.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    for _ in range(5):
        assert login(client, "alice").status_code == 200
    assert login(client, "alice", PASSWORD).status_code == 302
    assert APIClient().post("/api/v1/token/", {"username": "alice", "password": PASSWORD}).status_code == 200
    assert client.post("/accounts/password-reset/", {"email": "alice@example.org"}).status_code == 302
    assert "not applied: the cache is unreachable" in caplog.text


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.5", "", [], "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", [], "203.0.113.5"),  # no proxy configured: the header is ignored
        ("203.0.113.5", "198.51.100.1", ["10.0.0.0/8"], "203.0.113.5"),  # the peer is not a trusted proxy
        ("10.0.0.2", "198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "6.6.6.6, 198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),  # the client's own entry is not believed
        ("10.0.0.2", "198.51.100.1, 10.0.0.7", ["10.0.0.0/8"], "198.51.100.1"),  # two proxies deep
        ("10.0.0.2", "garbage, 198.51.100.1", ["10.0.0.0/8"], "198.51.100.1"),
        ("10.0.0.2", "198.51.100.1, garbage", ["10.0.0.0/8"], "10.0.0.2"),
        ("::1", "2001:db8::7", ["::1"], "2001:db8::7"),
    ],
)
def test_client_address(rf, settings, peer, forwarded, trusted, expected):
    settings.TRUSTED_PROXIES = trusted
    request = rf.get("/", REMOTE_ADDR=peer, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttles.client_address(request) == expected
