"""Races and retries: real concurrent requests against the live server, and all-or-nothing side effects.

Two saves of the same new episode id sent at the same moment (a double tap, a retry racing the
original) must both succeed, one as the create and one as the replace, and leave one row.
"""

from __future__ import annotations

import io
import json
import re
import threading
import uuid
from collections.abc import Callable

import pytest
import requests
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from rest_framework.authtoken.models import Token

from diary.models import Episode
from tests.conftest import episode_json, make_patient

# Live-server threads, 2 x 100 rounds: with the slow tests (`make test`), not the fast loop.
live = pytest.mark.integration

ROUNDS = 100


def race(rounds: int, send: Callable[[uuid.UUID], tuple[int, bool]]) -> list[tuple[uuid.UUID, list[tuple[int, bool]]]]:
    """For each round, two threads send the same new id at the same moment; returns (id, answers) per round.

    An answer is (HTTP status, whether the server said it created the row).
    """
    results = []
    for _ in range(rounds):
        episode_id = uuid.uuid4()
        start = threading.Barrier(2)
        answers: list[tuple[int, bool]] = []

        def one(
            start: threading.Barrier = start,
            episode_id: uuid.UUID = episode_id,
            answers: list[tuple[int, bool]] = answers,
        ) -> None:
            start.wait()
            answers.append(send(episode_id))

        threads = [threading.Thread(target=one) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        results.append((episode_id, answers))
    return results


def assert_one_create_one_replace(patient, results) -> None:
    failures = [(i, a) for i, a in results if sorted(a) != [(200, False), (201, True)]]
    assert failures == [], f"{len(failures)} of {len(results)} pairs did not end in one create and one replace"
    ids = {i for i, _ in results}
    assert patient.episodes.filter(id__in=ids).count() == len(ids)
    assert Episode.objects.count() == len(ids)


def api_put(collection: str, token: str, body: dict[str, object]) -> Callable[[uuid.UUID], tuple[int, bool]]:
    """A sender for `race`: PUT `body` to `collection` + the id, as the patient of `token`."""

    def send(row_id: uuid.UUID) -> tuple[int, bool]:
        response = requests.put(
            f"{collection}{row_id}/", json=body, headers={"Authorization": f"Token {token}"}, timeout=30
        )
        return response.status_code, response.status_code == 201

    return send


@live
def test_simultaneous_api_saves_of_a_new_id_leave_one_row(transactional_db, live_server):
    patient = make_patient()
    token = Token.objects.create(user=patient).key
    send = api_put(f"{live_server.url}/api/v1/episodes/", token, episode_json())
    assert_one_create_one_replace(patient, race(ROUNDS, send))


@live
def test_simultaneous_form_saves_of_a_new_id_leave_one_row(transactional_db, live_server):
    patient = make_patient()
    signed_in = Client()
    signed_in.force_login(patient)
    session = requests.Session()
    session.cookies.set("sessionid", signed_in.cookies["sessionid"].value)
    page = session.get(f"{live_server.url}/log/", timeout=30).text
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found
    csrf = found.group(1)

    def send(episode_id: uuid.UUID) -> tuple[int, bool]:
        form = {
            "csrfmiddlewaretoken": csrf,
            "id": str(episode_id),
            "when": "now",
            "duration": "5",
            "severity": "4",
            "locations": ["left:sole"],
        }
        response = session.post(
            f"{live_server.url}/log/", data=form, headers={"Accept": "application/json"}, timeout=30
        )
        created = response.status_code == 200 and response.json()["created"]
        return (201 if created else response.status_code), created

    assert_one_create_one_replace(patient, race(ROUNDS, send))


def test_a_failed_import_with_create_user_leaves_no_account(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "numbness-diary/1", "episodes": [episode_json(id=str(uuid.uuid4()))]}))
    good = tmp_path / "good.json"
    good.write_text(json.dumps({"format": "numbness-diary/1", "episodes": [], "checkins": []}))
    bad_doc = json.loads(bad.read_text())
    bad_doc["episodes"].append(episode_json(id=str(uuid.uuid4()), severity=12))
    bad.write_text(json.dumps(bad_doc))

    with pytest.raises(CommandError, match=r"episodes\[1\].*severity"):
        call_command("import_diary", str(bad), "--user", "erin", "--create-user", stdout=io.StringIO())
    assert not get_user_model().objects.filter(username="erin").exists()
    assert not Episode.objects.exists()

    call_command("import_diary", str(good), "--user", "erin", "--create-user", stdout=io.StringIO())
    erin = get_user_model().objects.get(username="erin")
    assert not erin.has_usable_password()


def test_deleting_an_account_ends_every_session_and_token(db, client, patient, other_patient):
    phone, laptop, bobs = Client(), Client(), Client()
    for browser, who in ((phone, patient), (laptop, patient), (bobs, other_patient)):
        browser.post("/accounts/login/", {"username": who.username, "password": "a-long-pass-phrase"})
        assert browser.get("/").status_code == 200
    token = Token.objects.create(user=patient).key
    assert Session.objects.count() == 3

    response = phone.post("/settings/delete-account/", {"password": "a-long-pass-phrase"}, follow=True)
    assert response.status_code == 200
    assert "Your account and all of your diary have been deleted." in response.content.decode()

    assert laptop.get("/").status_code == 302  # the other device is signed out
    assert phone.get("/").status_code == 302
    assert bobs.get("/").status_code == 200  # another patient's session is untouched
    assert [s.get_decoded().get("_auth_user_id") for s in Session.objects.all()].count(str(other_patient.pk)) == 1
    assert not any(s.get_decoded().get("_auth_user_id") == str(patient.pk) for s in Session.objects.all())
    assert client.get("/api/v1/episodes/", HTTP_AUTHORIZATION=f"Token {token}").status_code in (401, 403)
    assert not Token.objects.filter(key=token).exists()
