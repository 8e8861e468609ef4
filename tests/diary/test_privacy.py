"""A patient sees only their own diary: the second patient asks for the first one's things."""

import datetime as dt

import pytest
import time_machine

from diary.models import CheckIn, Episode
from tests.conftest import episode_json, log

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def alices_episode(patient):
    return log(patient, started_at=NOW - dt.timedelta(days=1), severity=5, notes="alice's private note")


@time_machine.travel(NOW, tick=False)
def test_pages_of_another_patients_episode_are_404(bob_web, alices_episode):
    for path in (f"/episodes/{alices_episode.id}/edit/", f"/episodes/{alices_episode.id}/delete/"):
        assert bob_web.get(path).status_code == 404
        assert bob_web.post(path, {"severity": "9"}).status_code == 404
    alices_episode.refresh_from_db()
    assert alices_episode.severity == 5


@time_machine.travel(NOW, tick=False)
def test_log_form_cannot_overwrite_another_patients_episode_by_id(bob_web, alices_episode):
    data = {"id": str(alices_episode.id), "when": "now", "duration": "5", "severity": "9", "locations": ["right:knee"]}
    assert bob_web.post("/log/", data).status_code == 404
    assert bob_web.post("/log/", data, HTTP_ACCEPT="application/json").status_code == 404
    alices_episode.refresh_from_db()
    assert (alices_episode.severity, alices_episode.patient.username) == (5, "alice")


@time_machine.travel(NOW, tick=False)
def test_api_routes_of_another_patients_episode_are_404(bob_api, alices_episode):
    path = f"/api/v1/episodes/{alices_episode.id}/"
    assert bob_api.get(path).status_code == 404
    assert bob_api.put(path, episode_json(severity=9), format="json").status_code == 404
    assert bob_api.patch(path, {"severity": 9}, format="json").status_code == 404
    assert bob_api.delete(path).status_code == 404
    assert bob_api.post("/api/v1/episodes/", episode_json(id=str(alices_episode.id)), format="json").status_code == 404
    alices_episode.refresh_from_db()
    assert alices_episode.severity == 5
    assert Episode.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_lists_and_exports_hold_only_the_callers_rows(bob_api, bob_web, alices_episode):
    assert bob_api.get("/api/v1/episodes/").json()["count"] == 0
    assert bob_api.get("/api/v1/checkins/").json() == []
    export = bob_api.get("/api/v1/export/").json()
    assert export["episodes"] == [] and export["checkins"] == []
    download = bob_web.get("/settings/my-data.json").content.decode()
    assert str(alices_episode.id) not in download
    for page in ("/", "/history/"):
        assert "alice" not in bob_web.get(page).content.decode().lower()


@time_machine.travel(NOW, tick=False)
def test_checkins_of_another_patient_are_404(bob_api, alices_episode):
    day = CheckIn.objects.get().date.isoformat()
    assert bob_api.get(f"/api/v1/checkins/{day}/").status_code == 404
    assert bob_api.delete(f"/api/v1/checkins/{day}/").status_code == 404
    assert CheckIn.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_profile_is_the_callers_own(bob_api, patient):
    assert bob_api.get("/api/v1/profile/").json()["timezone"] == "America/Chicago"
    bob_api.patch("/api/v1/profile/", {"emergency_number": "911"}, format="json")
    patient.profile.refresh_from_db()
    assert patient.profile.timezone == "Europe/London"
