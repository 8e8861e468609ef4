"""One clock for the patient: a time without an offset means the same instant on every path.

The four writers — the log form, the API with a browser session, the API with a token, and the
import — read a naive time in the patient's zone (the file's profile zone for an import), and
refuse a local time that a daylight-saving change skips or repeats with the same message.
"""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
import time_machine
from rest_framework.test import APIClient

from diary.clock import Clock, LocalTimeError, aware_in
from diary.interchange import FORMAT, InterchangeError, import_diary
from diary.models import CheckIn, Episode
from tests.conftest import episode_json, make_patient, token_for

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)
PATHS = ["form", "api-session", "api-token", "import"]


def save_through(path: str, patient, local_time: str) -> tuple[int, str, uuid.UUID]:
    """Save one episode that started at `local_time` (as typed, maybe without offset) by one path.

    Returns (status, the started_at error message or "", the episode id). The import's status is
    201 on success and 400 when it refused the file.
    """
    episode_id = uuid.uuid4()
    if path == "form":
        client = APIClient()  # a Django test client with the session of a signed-in patient
        client.force_login(patient)
        data = {
            "id": str(episode_id),
            "when": "earlier",
            "started_at": local_time,
            "duration": "5",
            "severity": "4",
            "locations": ["left:calf"],
        }
        response = client.post("/log/", data, HTTP_ACCEPT="application/json")
        errors = response.json().get("errors", {}) if response.status_code == 400 else {}
        message = errors["started_at"][0]["message"] if "started_at" in errors else ""
        return (201 if response.status_code == 200 else response.status_code), message, episode_id
    if path in ("api-session", "api-token"):
        client = APIClient()
        if path == "api-session":
            client.force_login(patient)  # the session path runs the time-zone middleware
        else:
            token = token_for(patient)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.put(f"/api/v1/episodes/{episode_id}/", episode_json(started_at=local_time), format="json")
        body = response.json()
        message = body["started_at"][0] if response.status_code == 400 and "started_at" in body else ""
        return response.status_code, message, episode_id
    assert path == "import"
    document = {
        "format": FORMAT,
        "profile": {"timezone": patient.profile.timezone},
        "episodes": [episode_json(id=str(episode_id), started_at=local_time)],
        "checkins": [],
    }
    try:
        import_diary(patient=patient, document=document)
    except InterchangeError as e:
        prefix = f"episodes[0] (id {episode_id}): started_at: "
        started = [p.removeprefix(prefix) for p in e.problems if p.startswith(prefix)]
        return 400, started[0] if started else "; ".join(e.problems), episode_id
    return 201, "", episode_id


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(
    "zone, typed, instant",
    [
        # A Tokyo patient's 23:30 is 14:30 UTC the same day, not 08:30 the next morning.
        ("Asia/Tokyo", "2026-01-10T23:30", dt.datetime(2026, 1, 10, 14, 30, tzinfo=dt.UTC)),
        ("America/Chicago", "2026-01-20T07:15", dt.datetime(2026, 1, 20, 13, 15, tzinfo=dt.UTC)),
        # Either side of London's changes, and the first valid minute after the skipped hour.
        ("Europe/London", "2026-03-29T00:59", dt.datetime(2026, 3, 29, 0, 59, tzinfo=dt.UTC)),
        ("Europe/London", "2026-03-29T02:00", dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)),
        ("Europe/London", "2026-10-25T02:00", dt.datetime(2026, 10, 25, 2, 0, tzinfo=dt.UTC)),
        # An explicit offset is that instant, whatever the patient's zone.
        ("Asia/Tokyo", "2026-10-25T01:30+01:00", dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)),
        ("Europe/London", "2026-10-25T01:30+00:00", dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)),
    ],
)
def test_a_time_reads_as_the_same_instant_on_every_path(db, path, zone, typed, instant):
    patient = make_patient(tz=zone)
    status, message, episode_id = save_through(path, patient, typed)
    assert (status, message) == (201, "")
    episode = Episode.objects.get(id=episode_id)
    assert episode.started_at == instant
    local_day = instant.astimezone(patient.profile.zone).date()
    assert list(CheckIn.objects.filter(patient=patient).values_list("date", flat=True)) == [local_day]


LONDON_SKIPPED = (
    "The start time 2026-03-29 01:30 does not exist in Europe/London: the clocks went forward then. "
    "It is either 00:30 GMT (2026-03-29T00:30+00:00) or 02:30 BST (2026-03-29T02:30+01:00); give one of those."
)
LONDON_TWICE = (
    "The start time 2026-10-25 01:30 happened twice in Europe/London: the clocks went back then. "
    "It is either 01:30 BST (2026-10-25T01:30+01:00), the first time, or 01:30 GMT (2026-10-25T01:30+00:00), "
    "the second; give the time with its UTC offset."
)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("typed, expected", [("2026-03-29T01:30", LONDON_SKIPPED), ("2026-10-25T01:30", LONDON_TWICE)])
def test_a_time_a_dst_change_skips_or_repeats_is_refused_alike_on_every_path(db, path, typed, expected):
    patient = make_patient(tz="Europe/London")
    status, message, _ = save_through(path, patient, typed)
    if path == "form":
        message = message.replace("&#x27;", "'")
    assert (status, message) == (400, expected)
    assert not Episode.objects.exists() and not CheckIn.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_the_import_reads_naive_times_in_the_files_zone_not_the_accounts(db):
    patient = make_patient(tz="Europe/London")
    episode_id = uuid.uuid4()
    document = {
        "format": FORMAT,
        "profile": {"timezone": "Asia/Tokyo"},
        "episodes": [episode_json(id=str(episode_id), started_at="2026-01-10T23:30")],
        "checkins": [{"date": "2026-01-10", "numbness_today": True}],
    }
    import_diary(patient=patient, document=document)
    assert Episode.objects.get().started_at == dt.datetime(2026, 1, 10, 14, 30, tzinfo=dt.UTC)
    assert patient.profile.__class__.objects.get(user=patient).timezone == "Asia/Tokyo"


@time_machine.travel(dt.datetime(2026, 1, 10, 15, 30, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("auth", ["session", "token"])
def test_today_is_the_patients_local_date_whatever_the_authentication(db, auth):
    # 15:30 UTC on 10 Jan is already 11 Jan in Tokyo: a token caller gets the same "today".
    patient = make_patient(tz="Asia/Tokyo")
    client = APIClient()
    if auth == "session":
        client.force_login(patient)
    else:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(patient)}")
    assert client.put("/api/v1/checkins/2026-01-11/", {"numbness_today": False}, format="json").status_code == 201
    refused = client.put("/api/v1/checkins/2026-01-12/", {"numbness_today": False}, format="json")
    assert refused.status_code == 400 and "date" in refused.json()


@time_machine.travel(dt.datetime(2026, 1, 10, 15, 30, tzinfo=dt.UTC), tick=False)
def test_the_clock_gives_now_today_and_reads_naive_times():
    tokyo = Clock(ZoneInfo("Asia/Tokyo"))
    assert tokyo.today() == dt.date(2026, 1, 11)
    assert tokyo.now().utcoffset() == dt.timedelta(hours=9)
    noon = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    assert tokyo.aware(noon) is noon  # an offset wins
    assert tokyo.aware(dt.datetime(2026, 1, 1, 21)) == noon  # noqa: DTZ001 - a wall-clock time on purpose


@pytest.mark.parametrize(
    "zone, wall, message_start",
    [  # wall-clock times without a zone, on purpose
        ("America/Chicago", dt.datetime(2026, 3, 8, 2, 30), "The time 2026-03-08 02:30 does not exist"),  # noqa: DTZ001
        ("America/Chicago", dt.datetime(2026, 11, 1, 1, 30), "The time 2026-11-01 01:30 happened twice"),  # noqa: DTZ001
        ("Australia/Lord_Howe", dt.datetime(2026, 4, 5, 1, 45), "The time 2026-04-05 01:45 happened twice"),  # noqa: DTZ001
    ],
)
def test_dst_refusals_in_other_zones(zone, wall, message_start):
    with pytest.raises(LocalTimeError) as caught:
        aware_in(wall, ZoneInfo(zone))
    assert str(caught.value).startswith(message_start)
    assert str(caught.value).count(" or ") == 1
