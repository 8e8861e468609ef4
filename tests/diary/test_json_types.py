"""No JSON type is coerced anywhere in the API: every writable field of every body takes its own type only.

Each field is sent every JSON type but its own (a string for a number, a number for a string, a float for a
whole number, a boolean, a list, an object) and each is a 400 naming the field, with nothing saved.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from diary.models import CheckIn, Episode, Profile
from tests.conftest import episode_json

TYPES: dict[str, Any] = {
    "string": "4",
    "numeric string": "0",
    "true string": "true",
    "integer": 4,
    "zero": 0,
    "float": 4.0,
    "boolean": True,
    "false": False,
    "list": [4],
    "object": {"value": 4},
}

# field → the kinds of value it takes (None is listed where the field allows null).
EPISODE_FIELDS = {
    "id": {"string"},
    "started_at": {"string"},
    "duration_minutes": {"integer", "zero"},
    "ongoing": {"boolean", "false"},
    "severity": {"integer", "zero"},
    "locations": {"list"},
    "sensations": {"list"},
    "triggers": {"list"},
    "symptoms": {"list"},
    "relieved_by": {"list"},
    "alarm_answered": {"boolean", "false"},
    "notes": {"string", "numeric string", "true string"},
}
PROFILE_FIELDS = {
    "timezone": {"string"},
    "conditions": {"list"},
    "emergency_number": {"string", "numeric string"},
    "reminder_time": {"string"},
    "date_of_birth": {"string"},
    "display_name": {"string", "numeric string", "true string"},
}


def wrong_types(fields: dict[str, set[str]]) -> list[tuple[str, str]]:
    return [(field, kind) for field, kinds in fields.items() for kind in TYPES if kind not in kinds]


@pytest.mark.parametrize(("field", "kind"), wrong_types(EPISODE_FIELDS))
def test_an_episode_field_of_the_wrong_type_is_a_400_naming_it(token_api, field, kind):
    body = episode_json(**{field: TYPES[kind]})
    response = token_api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json")
    assert response.status_code == 400, (field, kind, response.content)
    assert field in response.json(), response.json()
    assert not Episode.objects.exists()


@pytest.mark.parametrize("value", [" 4", "4", 4.0, 4.5, True, "0x4", 1e1])
def test_severity_is_a_json_whole_number_only(token_api, value):
    response = token_api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(severity=value), format="json")
    assert response.status_code == 400 and "severity" in response.json()


def test_the_right_types_still_save(token_api):
    response = token_api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(severity=0), format="json")
    assert response.status_code == 201 and Episode.objects.get().severity == 0


@pytest.mark.parametrize("kind", ["string", "integer", "zero", "float", "list", "object"])
def test_a_location_part_of_the_wrong_type_is_a_400(token_api, kind):
    body = episode_json(locations=[{"side": TYPES[kind], "region": "calf"}])
    response = token_api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json")
    assert response.status_code == 400 and "locations" in response.json()


@pytest.mark.parametrize("kind", ["integer", "zero", "float", "boolean", "list", "object"])
def test_a_code_of_the_wrong_type_in_a_list_is_a_400(token_api, kind):
    body = episode_json(sensations=[TYPES[kind]])
    response = token_api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json")
    assert response.status_code == 400 and "sensations" in response.json()


@pytest.mark.parametrize(("field", "kind"), wrong_types(PROFILE_FIELDS))
def test_a_profile_field_of_the_wrong_type_is_a_400_naming_it(token_api, patient, field, kind):
    before = Profile.objects.values().get(user=patient)
    response = token_api.patch("/api/v1/profile/", {field: TYPES[kind]}, format="json")
    assert response.status_code == 400, (field, kind, response.content)
    assert field in response.json()
    assert Profile.objects.values().get(user=patient) == before


def test_display_name_zero_is_refused_not_stored_as_text(token_api, patient):
    response = token_api.patch("/api/v1/profile/", {"display_name": 0}, format="json")
    assert response.status_code == 400 and "display_name" in response.json()
    assert Profile.objects.get(user=patient).display_name == ""


@pytest.mark.parametrize("kind", [k for k in TYPES if k not in ("boolean", "false")])
def test_a_checkin_answer_of_the_wrong_type_is_a_400(token_api, kind):
    response = token_api.put("/api/v1/checkins/2026-01-10/", {"numbness_today": TYPES[kind]}, format="json")
    assert response.status_code == 400 and "numbness_today" in response.json()
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("field", ["username", "password"])
@pytest.mark.parametrize("kind", ["integer", "zero", "float", "boolean", "list", "object"])
def test_token_credentials_of_the_wrong_type_are_a_400_naming_them(client, patient, field, kind):
    body = {"username": "alice", "password": "a-long-pass-phrase"} | {field: TYPES[kind]}
    response = client.post("/api/v1/token/", body, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
