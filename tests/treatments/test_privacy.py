"""A patient sees only their own treatments: the second patient asks for the first one's through every route."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from tests.conftest import add_treatment
from tests.treatments.conftest import NOW
from treatments import services, vocab
from treatments.models import Course, Dose, Treatment


@pytest.fixture
def alices(patient):
    treatment = add_treatment(patient, "Alicemycin", started_on=dt.date(2026, 3, 1), schedule=vocab.AS_NEEDED)
    dose = services.save_dose(
        patient=patient, dose_id=None, treatment_id=treatment.id, taken_at=NOW - dt.timedelta(hours=2)
    ).row
    return treatment, dose


def unchanged(treatment, dose):
    treatment.refresh_from_db()
    dose.refresh_from_db()
    assert treatment.name == "Alicemycin" and treatment.courses.get().stopped_on is None
    mine = (
        Dose.objects.filter(treatment=treatment).count(),
        Treatment.objects.filter(patient=treatment.patient).count(),
    )
    assert (dose.effect, *mine) == ("", 1, 1)


def test_every_page_of_another_patients_treatment_is_404(bob_web, alices):
    treatment, dose = alices
    base = f"/treatments/{treatment.id}"
    for path in (f"{base}/", f"{base}/edit/", f"{base}/dose/", f"{base}/stop/", f"{base}/delete/"):
        assert bob_web.get(path).status_code == 404, path
    posts = {
        f"{base}/edit/": {"name": "Mine now", "kind": "medication"},
        f"{base}/dose/": {"dose_amount": "1", "dose_unit": "mg", "started_on": "2026-06-01"},
        f"{base}/stop/": {"last_day": "2026-06-01", "stop_reason": "other"},
        f"{base}/missed/": {"day": "2026-06-01"},
        f"{base}/took/": {"id": str(uuid.uuid4())},
        f"{base}/delete/": {},
        f"/doses/{dose.id}/effect/": {"effect": "no_help"},
        f"/doses/{dose.id}/delete/": {},
    }
    for path, data in posts.items():
        assert bob_web.post(path, data).status_code == 404, path
        assert bob_web.post(path, data, HTTP_ACCEPT="application/json").status_code == 404, path
    unchanged(treatment, dose)


def test_every_api_route_of_another_patients_treatment_or_dose_is_404(bob_api, other_patient, alices):
    treatment, dose = alices
    path = f"/api/v1/treatments/{treatment.id}/"
    body = {"name": "Mine", "kind": "medication", "schedule": "as_needed",
            "courses": [{"started_on": "2026-03-01", "dose_amount": 1, "dose_unit": "mg"}]}  # fmt: skip
    assert bob_api.get(path).status_code == 404
    assert bob_api.get(f"{path}comparison/").status_code == 404
    assert bob_api.put(path, body, format="json").status_code == 404
    assert bob_api.patch(path, {"name": "Mine"}, format="json").status_code == 404
    assert bob_api.delete(path).status_code == 404
    assert bob_api.post("/api/v1/treatments/", body | {"id": str(treatment.id)}, format="json").status_code == 404
    dose_path = f"/api/v1/doses/{dose.id}/"
    bobs = add_treatment(other_patient, "Bobicillin", started_on=dt.date(2026, 3, 1), schedule=vocab.AS_NEEDED)
    taken = {"treatment_id": str(bobs.id), "taken_at": "2026-06-10T08:00:00Z"}
    assert bob_api.put(dose_path, taken, format="json").status_code == 404  # Alice's dose id
    assert bob_api.delete(dose_path).status_code == 404
    # A dose of Alice's treatment is refused as unknown, naming the field.
    refused = bob_api.put(f"/api/v1/doses/{uuid.uuid4()}/", taken | {"treatment_id": str(treatment.id)}, format="json")
    assert refused.status_code == 400 and "treatment_id" in refused.json()
    unchanged(treatment, dose)
    assert Course.objects.filter(treatment=treatment).count() == 1


def test_lists_exports_and_pages_hold_only_the_callers_treatments(bob_api, bob_web, alices):
    treatment, dose = alices
    assert bob_api.get("/api/v1/treatments/").json() == []
    assert bob_api.get("/api/v1/doses/").json()["count"] == 0
    export = bob_api.get("/api/v1/export/").json()
    assert export["treatments"] == [] and export["doses"] == []
    for page in ("/", "/log/", "/trends/", "/treatments/", "/settings/my-data.json"):
        assert "Alicemycin" not in bob_web.get(page).content.decode(), page
