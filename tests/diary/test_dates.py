"""Date bounds: no episode before 1 January 2000 or before the date of birth, no date of birth in the future.

One rule gives one message on every path: the log form, the API (session and token) and the import.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from rest_framework.test import APIClient

from diary.models import CheckIn, Episode, Profile
from tests.conftest import make_patient, token_for
from tests.diary.test_clock import PATHS, save_through

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "zone, typed, date_of_birth, expected",
    [
        ("Europe/London", "1999-12-31T23:30", None, "The start time can't be before 1 January 2000."),
        ("Europe/London", "1985-06-01T10:00:00Z", None, "The start time can't be before 1 January 2000."),
        # 00:30 on 1 Jan 2000 in Tokyo is still 1999 in UTC: the patient's local date counts.
        ("Asia/Tokyo", "2000-01-01T00:30", None, ""),
        (
            "Europe/London",
            "2010-05-01T09:00",
            dt.date(2010, 5, 2),
            "The start time can't be before your date of birth (2 May 2010).",
        ),
        ("Europe/London", "2010-05-02T09:00", dt.date(2010, 5, 2), ""),
    ],
)
def test_an_episode_start_before_2000_or_birth_is_refused_alike_on_every_path(
    db, path, zone, typed, date_of_birth, expected
):
    patient = make_patient(tz=zone, date_of_birth=date_of_birth)
    status, message, episode_id = save_through(path, patient, typed)
    if path == "form":
        message = message.replace("&#x27;", "'")
    if expected:
        assert (status, message) == (400, expected)
        assert not Episode.objects.exists() and not CheckIn.objects.exists()
    else:
        assert (status, message) == (201, "")
        assert Episode.objects.filter(id=episode_id).exists()


@time_machine.travel(NOW, tick=False)
def test_the_service_itself_refuses_a_start_before_birth(db):
    from django.core.exceptions import ValidationError

    from tests.conftest import log

    patient = make_patient(date_of_birth=dt.date(2001, 1, 1))
    with pytest.raises(ValidationError) as caught:
        log(patient, started_at=dt.datetime(2000, 6, 1, tzinfo=dt.UTC))
    assert caught.value.message_dict == {
        "started_at": ["The start time can't be before your date of birth (1 January 2001)."]
    }


# 20:00 UTC on 20 Nov is already 21 Nov in Tokyo, still 20 Nov in Chicago.
@time_machine.travel(dt.datetime(2026, 11, 20, 20, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize(
    "zone, date_of_birth, accepted",
    [
        ("Asia/Tokyo", "2026-11-21", True),
        ("America/Chicago", "2026-11-21", False),
        ("America/Chicago", "2026-11-20", True),
        ("UTC", "2031-01-01", False),
        ("UTC", "1899-12-31", False),
    ],
)
@pytest.mark.parametrize("path", ["settings", "api-session", "api-token"])
def test_a_date_of_birth_in_the_future_is_refused_on_every_path(db, zone, date_of_birth, accepted, path):
    patient = make_patient(tz=zone)
    client = APIClient()
    if path == "settings":
        client.force_login(patient)
        form = {"timezone": zone, "emergency_number": "112", "date_of_birth": date_of_birth}
        response = client.post("/settings/", form)
        ok = response.status_code == 302
        page = response.content.decode().replace("&#x27;", "'")
        shown = "The date of birth can't be" in page
    else:
        if path == "api-session":
            client.force_login(patient)
        else:
            client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(patient)}")
        response = client.patch("/api/v1/profile/", {"date_of_birth": date_of_birth}, format="json")
        ok = response.status_code == 200
        shown = response.status_code == 400 and "The date of birth can't be" in response.json()["date_of_birth"][0]
    assert ok is accepted and shown is not accepted
    stored = Profile.objects.get(user=patient).date_of_birth
    assert (stored == dt.date.fromisoformat(date_of_birth)) is accepted


@time_machine.travel(NOW, tick=False)
def test_a_checkin_before_2000_is_refused(api):
    response = api.put("/api/v1/checkins/1999-12-31/", {"numbness_today": False}, format="json")
    assert response.status_code == 400
    assert response.json()["date"] == ["The date can't be before 1 January 2000."]
    assert not CheckIn.objects.exists()
