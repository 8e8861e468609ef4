"""The treatments API (DESIGN §8): treatments with their courses, doses by client id, the comparison; bad input
is a 400 naming the field with nothing saved."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.conftest import log
from tests.treatments.conftest import NOW
from treatments import vocab
from treatments.models import Dose, Treatment


def treatment_json(**overrides):
    return {
        "name": "Pregabalin",
        "kind": "medication",
        "ingredient": "pregabalin",
        "schedule": "regular",
        "notes": "",
        "courses": [{"started_on": "2026-03-01", "dose_amount": 75, "dose_unit": "mg", "times_per_day": 2}],
    } | overrides


def test_a_treatment_is_created_listed_read_and_replaced_by_id(api, patient):
    tid = str(uuid.uuid4())
    created = api.put(f"/api/v1/treatments/{tid}/", treatment_json(), format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["rxcui"] == "187832" and body["courses"] == [
        {"started_on": "2026-03-01", "stopped_on": None, "dose_amount": 75, "dose_unit": "mg", "times_per_day": 2,
         "stop_reason": ""}
    ]  # fmt: skip
    dose = {"dose_unit": "mg", "times_per_day": 2}
    courses = [
        {"started_on": "2026-03-01", "stopped_on": "2026-05-01", "dose_amount": 75} | dose,
        {"started_on": "2026-05-01", "dose_amount": 150} | dose,
    ]
    again = api.put(f"/api/v1/treatments/{tid}/", treatment_json(courses=courses), format="json")
    assert again.status_code == 200 and [c["dose_amount"] for c in again.json()["courses"]] == [75, 150]
    assert Treatment.objects.count() == 1
    assert [t["id"] for t in api.get("/api/v1/treatments/").json()] == [tid]
    assert api.get(f"/api/v1/treatments/{tid}/").json()["courses"][0]["stopped_on"] == "2026-05-01"
    patched = api.patch(f"/api/v1/treatments/{tid}/", {"notes": "with food"}, format="json")
    assert patched.status_code == 200 and patched.json()["notes"] == "with food"
    assert len(patched.json()["courses"]) == 2  # a PATCH without courses keeps them


def test_post_creates_and_delete_removes_with_its_doses(api, patient):
    body = api.post("/api/v1/treatments/", treatment_json(schedule="as_needed", courses=[
        {"started_on": "2026-03-01", "dose_amount": 400, "dose_unit": "mg"}]), format="json")  # fmt: skip
    assert body.status_code == 201
    tid = body.json()["id"]
    dose = api.put(
        f"/api/v1/doses/{uuid.uuid4()}/", {"treatment_id": tid, "taken_at": "2026-06-09T08:00"}, format="json"
    )
    assert dose.status_code == 201
    assert api.delete(f"/api/v1/treatments/{tid}/").status_code == 204
    assert api.get(f"/api/v1/treatments/{tid}/").status_code == 404
    assert not Dose.objects.exists()


@pytest.mark.parametrize(
    "change, field",
    [
        (
            {
                "courses": [
                    {
                        "started_on": "2026-03-01",
                        "stopped_on": "2026-02-01",
                        "dose_amount": 75,
                        "dose_unit": "mg",
                        "times_per_day": 2,
                    }
                ]
            },
            "courses[0].stopped_on",
        ),  # fmt: skip
        (
            {
                "courses": [
                    {
                        "started_on": "2026-01-01",
                        "stopped_on": "2026-04-01",
                        "dose_amount": 75,
                        "dose_unit": "mg",
                        "times_per_day": 2,
                    },
                    {"started_on": "2026-03-01", "dose_amount": 75, "dose_unit": "mg", "times_per_day": 2},
                ]
            },
            "courses",
        ),  # fmt: skip
        (
            {"courses": [{"started_on": "2026-03-01", "dose_amount": 0, "dose_unit": "mg", "times_per_day": 2}]},
            "dose_amount",
        ),
        (
            {"courses": [{"started_on": "2026-03-01", "dose_amount": -1, "dose_unit": "mg", "times_per_day": 2}]},
            "dose_amount",
        ),
        (
            {"courses": [{"started_on": "2026-03-01", "dose_amount": "75", "dose_unit": "mg", "times_per_day": 2}]},
            "dose_amount",
        ),
        (
            {"courses": [{"started_on": "2026-03-01", "dose_amount": 75, "dose_unit": "spoon", "times_per_day": 2}]},
            "dose_unit",
        ),
        (
            {"courses": [{"started_on": "2026-03-01", "dose_amount": 75, "dose_unit": "mg", "times_per_day": 9}]},
            "times_per_day",
        ),
        (
            {"courses": [{"started_on": "2026-03-01", "dose_amount": 75, "dose_unit": "mg", "times_per_day": "2"}]},
            "times_per_day",
        ),
        (
            {"courses": [{"started_on": "2026-03-01", "dose_amount": 75, "dose_unit": "mg", "times_per_day": 2.0}]},
            "times_per_day",
        ),
        ({"courses": []}, "courses"),
        ({"name": " "}, "name"),
        ({"kind": "potion"}, "kind"),
        ({"ingredient": "unobtainium"}, "ingredient"),
        ({"schedule": "weekly"}, "schedule"),
    ],
)
def test_bad_treatments_are_a_400_naming_the_field(api, patient, change, field):
    response = api.put(f"/api/v1/treatments/{uuid.uuid4()}/", treatment_json(**change), format="json")
    assert response.status_code == 400
    assert field in response.content.decode(), response.json()
    assert not Treatment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "said"),
    [
        (123456789, "The dose can't be more than 100,000."),
        (1e9, "The dose can't be more than 100,000."),
        (0.00001, "Give the dose with at most 4 decimal places."),
        (1e-15, "Give the dose with at most 4 decimal places."),
    ],
)
def test_a_bad_dose_amount_gets_one_message_the_form_gives_too(api, patient, amount, said):
    """The range before the digits: DRF's "no more than 8 digits before the decimal point" was the API's answer."""
    course = {"started_on": "2026-03-01", "dose_amount": amount, "dose_unit": "mg", "times_per_day": 2}
    response = api.put(f"/api/v1/treatments/{uuid.uuid4()}/", treatment_json(courses=[course]), format="json")
    assert response.status_code == 400
    assert response.json()["courses"] == {"0": {"dose_amount": [said]}}
    assert not Treatment.objects.exists()


@pytest.fixture
def ibuprofen(api):
    courses = [{"started_on": "2026-03-01", "dose_amount": 400, "dose_unit": "mg"}]
    body = treatment_json(name="Ibuprofen", ingredient="ibuprofen", schedule="as_needed", courses=courses)
    return api.post("/api/v1/treatments/", body, format="json").json()["id"]


def test_a_dose_put_twice_is_one_dose_and_listed_by_local_date(api, patient, ibuprofen):
    dose_id = str(uuid.uuid4())
    body = {"treatment_id": ibuprofen, "taken_at": "2026-06-09T23:30:00+01:00", "amount": 200}
    assert api.put(f"/api/v1/doses/{dose_id}/", body, format="json").status_code == 201
    again = api.put(f"/api/v1/doses/{dose_id}/", body | {"effect": "helped_a_lot"}, format="json")
    assert again.status_code == 200 and again.json()["effect"] == "helped_a_lot"
    assert again.json()["taken_at"] == "2026-06-09T22:30:00Z" and again.json()["amount"] == 200
    assert Dose.objects.count() == 1
    listed = api.get("/api/v1/doses/?from=2026-06-09&to=2026-06-09").json()
    assert [d["id"] for d in listed["results"]] == [dose_id]
    assert api.get("/api/v1/doses/?from=2026-06-10").json()["count"] == 0
    assert api.get(f"/api/v1/doses/?treatment={ibuprofen}").json()["count"] == 1
    assert api.get("/api/v1/doses/?treatment=nope").status_code == 400
    assert api.delete(f"/api/v1/doses/{dose_id}/").status_code == 204
    assert api.delete(f"/api/v1/doses/{dose_id}/").status_code == 404


@pytest.mark.parametrize(
    "change, field",
    [
        ({"taken_at": "2026-02-01T08:00:00Z"}, "taken_at"),  # before the treatment's first course
        ({"taken_at": "2026-06-11T08:00:00Z"}, "taken_at"),  # in the future
        ({"amount": 0}, "amount"),
        ({"amount": -2}, "amount"),
        ({"status": "missed"}, "status"),  # taken when needed: never missed
        ({"effect": "meh"}, "effect"),
        ({"episode_id": str(uuid.uuid4())}, "episode_id"),
        ({"treatment_id": str(uuid.uuid4())}, "treatment_id"),
        ({"treatment_id": 5}, "treatment_id"),
    ],
)
def test_bad_doses_are_a_400_naming_the_field(api, patient, ibuprofen, change, field):
    body = {"treatment_id": ibuprofen, "taken_at": "2026-06-09T08:00:00Z"} | change
    response = api.put(f"/api/v1/doses/{uuid.uuid4()}/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert not Dose.objects.exists()


def test_an_effect_on_a_missed_dose_is_a_400(api, patient):
    tid = api.post("/api/v1/treatments/", treatment_json(), format="json").json()["id"]
    body = {"treatment_id": tid, "taken_at": "2026-06-09T12:00:00Z", "status": "missed", "effect": "no_help"}
    response = api.put(f"/api/v1/doses/{uuid.uuid4()}/", body, format="json")
    assert response.status_code == 400 and list(response.json()) == ["effect"]


def test_the_comparison_has_the_shape_of_design_8(api, patient):
    for day in range(1, 100):
        log(patient, NOW - dt.timedelta(days=day), severity=4 if day > 40 else 2)
    course = {"started_on": "2026-05-01", "dose_amount": 75, "dose_unit": "mg", "times_per_day": 2}
    tid = api.post("/api/v1/treatments/", treatment_json(courses=[course]), format="json").json()["id"]
    body = api.get(f"/api/v1/treatments/{tid}/comparison/").json()
    (course,) = body["courses"]
    assert body["as_needed"] is None
    assert {"started_on", "before", "while", "rate_ratio", "rate_ratio_95", "enough", "other_changes"} <= set(course)
    assert course["enough"] is True and course["rate_ratio"] == 1.0 and len(course["rate_ratio_95"]) == 2
    assert course["before"]["logged_days"] == 56 and course["while"]["logged_days"] == 26
    assert (course["before"]["median_severity"], course["while"]["median_severity"]) == (4, 2)
    assert any("while taking" in w.lower() for w in course["words"])


def test_the_comparison_of_a_treatment_taken_when_needed_counts_its_uses(api, patient, ibuprofen):
    for effect in ("helped_a_lot", "no_help", ""):
        body = {"treatment_id": ibuprofen, "taken_at": "2026-06-01T08:00:00Z", "effect": effect}
        api.put(f"/api/v1/doses/{uuid.uuid4()}/", body, format="json")
    body = api.get(f"/api/v1/treatments/{ibuprofen}/comparison/").json()
    assert body["courses"] == []
    assert (body["as_needed"]["uses"], body["as_needed"]["rated"], body["as_needed"]["helped"]) == (3, 2, 1)


def test_malformed_ids_are_json_404s(api):
    for path in ("treatments/nope/", "treatments/nope/comparison/"):
        response = api.get(f"/api/v1/{path}")
        assert response.status_code == 404 and "detail" in response.json(), path
    assert api.put("/api/v1/doses/nope/", {}, format="json").status_code == 404
    assert vocab.TAKEN == "taken"
