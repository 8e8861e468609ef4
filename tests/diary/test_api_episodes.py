"""The episodes API: idempotent create-or-replace, listing by local dates, edits and deletes."""

import datetime as dt
import uuid

import pytest

from diary.models import CheckIn, Episode, EpisodeLocation
from tests.conftest import episode_json, log


def url(episode_id=None):
    return f"/api/v1/episodes/{episode_id}/" if episode_id else "/api/v1/episodes/"


def test_put_creates_then_replaces_without_duplicating(api, patient):
    episode_id = uuid.uuid4()
    first = api.put(url(episode_id), episode_json(severity=4), format="json")
    again = api.put(url(episode_id), episode_json(severity=4), format="json")
    changed = api.put(
        url(episode_id), episode_json(severity=6, locations=[{"side": "right", "region": "knee"}]), format="json"
    )

    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 200)
    assert Episode.objects.filter(patient=patient).count() == 1
    episode = Episode.objects.get(id=episode_id)
    assert episode.severity == 6
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("right", "knee")]
    assert changed.json()["locations"] == [{"side": "right", "region": "knee"}]
    assert changed.json()["alerts"] == []


def test_post_with_client_id_is_idempotent(api, patient):
    body = episode_json(id=str(uuid.uuid4()))
    assert api.post(url(), body, format="json").status_code == 201
    assert api.post(url(), body, format="json").status_code == 200
    assert patient.episodes.count() == 1


def test_post_without_id_gets_a_server_id(api, patient):
    response = api.post(url(), episode_json(), format="json")
    assert response.status_code == 201
    assert patient.episodes.get().id == uuid.UUID(response.json()["id"])


def test_saved_episode_reads_back_in_the_interchange_shape(api):
    episode_id = uuid.uuid4()
    api.put(url(episode_id), episode_json(sensations=["tingling", "numbness", "tingling"]), format="json")
    body = api.get(url(episode_id)).json()
    assert body["id"] == str(episode_id)
    assert body["started_at"] == "2026-01-10T08:30:00Z"
    assert body["sensations"] == ["numbness", "tingling"]  # deduplicated, in vocabulary order
    assert body["ongoing"] is False


def test_ongoing_episode_has_no_duration(api):
    episode_id = uuid.uuid4()
    response = api.put(url(episode_id), episode_json(duration_minutes=None, ongoing=True), format="json")
    assert response.status_code == 201
    assert Episode.objects.get(id=episode_id).duration_minutes is None
    assert response.json()["ongoing"] is True


def test_saving_an_episode_implies_a_checkin_on_its_local_date(api, patient):
    # 23:30 UTC on 10 Jan is already 11 Jan in Tokyo.
    patient.profile.timezone = "Asia/Tokyo"
    patient.profile.save()
    api.put(url(uuid.uuid4()), episode_json(started_at="2026-01-10T23:30:00Z"), format="json")
    assert list(CheckIn.objects.filter(patient=patient).values_list("date", "numbness_today")) == [
        (dt.date(2026, 1, 11), True)
    ]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"severity": 11}, "severity"),
        ({"severity": -1}, "severity"),
        ({"duration_minutes": -5}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"duration_minutes": None}, "duration_minutes"),
        ({"ongoing": True}, "duration_minutes"),
        ({"started_at": "2999-01-01T00:00:00Z"}, "started_at"),
        ({"started_at": "1899-12-31T00:00:00Z"}, "started_at"),
        ({"started_at": "yesterday"}, "started_at"),
        ({"locations": []}, "locations"),
        ({"locations": [{"side": "middle", "region": "calf"}]}, "locations"),
        ({"locations": [{"side": "left", "region": "elbow"}]}, "locations"),
        ({"sensations": ["numbness", "glowing"]}, "sensations"),
        ({"triggers": ["astrology"]}, "triggers"),
        ({"symptoms": ["sneezing"]}, "symptoms"),
        ({"relieved_by": ["prayer"]}, "relieved_by"),
        ({"notes": "x" * 2001}, "notes"),
        ({"severity": "bad"}, "severity"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(api, patient, change, field):
    episode_id = uuid.uuid4()
    response = api.put(url(episode_id), episode_json(**change), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Episode.objects.exists()
    assert not CheckIn.objects.exists()


def test_malformed_json_is_a_400(api):
    response = api.put(url(uuid.uuid4()), data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]
    assert not Episode.objects.exists()


def test_start_within_clock_skew_is_accepted(api):
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert api.put(url(uuid.uuid4()), episode_json(started_at=soon), format="json").status_code == 201


def test_list_filters_by_local_dates_newest_first(api, patient):
    patient.profile.timezone = "America/Chicago"
    patient.profile.save()
    # 03:00 UTC on 5 March is still 4 March in Chicago.
    late = log(patient, started_at=dt.datetime(2026, 3, 5, 3, 0, tzinfo=dt.UTC))
    early = log(patient, started_at=dt.datetime(2026, 3, 3, 15, 0, tzinfo=dt.UTC))
    log(patient, started_at=dt.datetime(2026, 3, 6, 15, 0, tzinfo=dt.UTC))

    body = api.get(url(), {"from": "2026-03-03", "to": "2026-03-04"}).json()
    assert [e["id"] for e in body["results"]] == [str(late.id), str(early.id)]
    assert body["count"] == 2


def test_list_rejects_a_bad_date(api):
    response = api.get(url(), {"from": "03/03/2026"})
    assert response.status_code == 400
    assert "from" in response.json()


def test_patch_changes_only_the_given_fields(api, patient):
    episode = log(patient, severity=3, notes="desk")
    response = api.patch(url(episode.id), {"severity": 7}, format="json")
    assert response.status_code == 200
    episode.refresh_from_db()
    assert (episode.severity, episode.notes) == (7, "desk")
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("left", "sole")]


def test_patch_with_bad_value_changes_nothing(api, patient):
    episode = log(patient, severity=3)
    assert api.patch(url(episode.id), {"severity": 12}, format="json").status_code == 400
    episode.refresh_from_db()
    assert episode.severity == 3


def test_delete_removes_the_episode_and_its_locations(api, patient):
    episode = log(patient)
    assert api.delete(url(episode.id)).status_code == 204
    assert not Episode.objects.exists()
    assert not EpisodeLocation.objects.exists()
    assert api.delete(url(episode.id)).status_code == 404


def test_anonymous_callers_are_refused(client, patient):
    episode = log(patient)
    assert client.get(url(episode.id)).status_code in (401, 403)
    assert client.get(url()).status_code in (401, 403)


def test_token_auth_for_other_clients(client, patient):
    token = client.post("/api/v1/token/", {"username": "alice", "password": "a-long-pass-phrase"}).json()["token"]
    response = client.get(url(), HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200


def test_openapi_schema_and_docs_are_served(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/episodes/{id}/" in schema.json()["paths"]
    assert api.get("/api/v1/docs/").status_code == 200


def test_a_replay_a_day_later_of_an_unchanged_entry_leaves_it_as_saved(api, patient, time_machine):
    # The offline queue, or a client's retry, sends an entry the server already has. A stroke sign logged at once is
    # judged by when it was saved: resent unchanged the next day, it must not read as entered a day late.
    started = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    body = episode_json(id=str(uuid.uuid4()), started_at=started.isoformat(), symptoms=["speech_difficulty"])
    time_machine.move_to(started + dt.timedelta(minutes=5), tick=False)
    first = api.post(url(), body, format="json")
    saved = Episode.objects.values_list("created_at", "updated_at").get()

    time_machine.move_to(started + dt.timedelta(days=1), tick=False)
    again = api.post(url(), body, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert Episode.objects.values_list("created_at", "updated_at").get() == saved
    [flag] = api.get("/api/v1/flags/").json()
    assert (flag["code"], flag["level"]) == ("emergency.stroke_signs", "emergency")  # not "see a doctor today"

    changed = api.post(url(), body | {"severity": 7}, format="json")  # a change is saved, and dated, as an edit
    assert changed.status_code == 200 and Episode.objects.get().updated_at == started + dt.timedelta(days=1)
