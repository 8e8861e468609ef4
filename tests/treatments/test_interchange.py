"""Treatments and doses in the interchange format numbness-diary/2: a lossless round trip, /1 files still import,
every bad record is named and nothing is half-imported, and "Download my data" holds them."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest

from diary.demo import demo_document
from diary.interchange import FORMAT, FORMAT_1, InterchangeError, dumps, export_diary, import_diary
from diary.models import Episode
from tests.conftest import episode_json, make_patient
from treatments.models import Course, Dose, Treatment

TID, EPISODE = "3f0c7a52-0d55-4b8e-8d43-6a1c7b1e2f01", "7f1c1d0e-35f4-4d8e-9a59-3d1c1b5a0c11"


def document(treatments=(), doses=(), version=FORMAT, episodes=None):
    return {
        "format": version,
        "profile": {"timezone": "Europe/London", "conditions": [], "emergency_number": "999"},
        "episodes": [episode_json(id=EPISODE)] if episodes is None else episodes,
        "checkins": [],
        "treatments": list(treatments),
        "doses": list(doses),
    }


def ibuprofen(**overrides):
    return {
        "id": TID,
        "name": "Ibuprofen",
        "kind": "medication",
        "ingredient": "ibuprofen",
        "schedule": "as_needed",
        "notes": "with food",
        "courses": [
            {
                "started_on": "2025-12-01",
                "stopped_on": "2026-02-01",
                "dose_amount": 400,
                "dose_unit": "mg",
                "times_per_day": None,
                "stop_reason": "",
            },
            {
                "started_on": "2026-02-01",
                "stopped_on": None,
                "dose_amount": 200.5,
                "dose_unit": "mg",
                "times_per_day": None,
                "stop_reason": "",
            },
        ],  # fmt: skip
    } | overrides


def dose(**overrides):
    return {
        "id": "a1e7d3f0-1111-4c8e-9e0a-5b6c7d8e9f00",
        "treatment_id": TID,
        "taken_at": "2026-01-10T08:45:00Z",
        "status": "taken",
        "amount": None,
        "episode_id": EPISODE,
        "effect": "helped_a_little",
    } | overrides


def test_the_demo_diary_round_trips_byte_for_byte_with_its_treatments(db):
    first = make_patient("first")
    import_diary(patient=first, document=demo_document(dt.date(2026, 6, 10)))
    exported = dumps(export_diary(first))
    document_ = json.loads(exported)
    assert len(document_["treatments"]) == 4 and len(document_["doses"]) > 5
    assert {d["episode_id"] is not None for d in document_["doses"]} == {True}
    first.delete()  # as when moving a diary to another server: the ids are free again
    second = make_patient("second")
    import_diary(patient=second, document=json.loads(exported))
    assert dumps(export_diary(second)) == exported


def test_a_file_imports_as_given_and_again_without_duplicates(db):
    patient = make_patient()
    doc = document([ibuprofen()], [dose()])
    for _ in range(2):
        import_diary(patient=patient, document=doc)
    exported = export_diary(patient)
    assert exported["treatments"] == [ibuprofen()] and exported["doses"] == [dose()]
    assert (Treatment.objects.count(), Course.objects.count(), Dose.objects.count()) == (1, 2, 1)


def test_a_version_1_file_still_imports_and_may_not_carry_treatments(db):
    patient = make_patient()
    old = document(version=FORMAT_1)
    del old["treatments"], old["doses"]
    import_diary(patient=patient, document=old)
    assert Episode.objects.count() == 1
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=patient, document=document([ibuprofen()], version=FORMAT_1))
    assert "treatments: a numbness-diary/1 file has no treatments." in error.value.problems


@pytest.mark.parametrize(
    "treatments, doses, expected",
    [
        (
            [
                ibuprofen(
                    courses=[
                        {"started_on": "2026-03-01", "stopped_on": "2026-02-01", "dose_amount": 400, "dose_unit": "mg"}
                    ]
                )
            ],
            [],
            f"treatments[0] (id {TID}): courses[0].stopped_on:",
        ),  # fmt: skip
        (
            [
                ibuprofen(
                    courses=[
                        {"started_on": "2026-01-01", "dose_amount": 400, "dose_unit": "mg"},
                        {"started_on": "2026-02-01", "dose_amount": 400, "dose_unit": "mg"},
                    ]
                )
            ],
            [],
            f"treatments[0] (id {TID}): courses: Courses of one treatment can't overlap",
        ),  # fmt: skip
        (
            [ibuprofen(courses=[{"started_on": "2026-01-01", "dose_amount": 0, "dose_unit": "mg"}])],
            [],
            f"treatments[0] (id {TID}): courses[0].dose_amount:",
        ),  # fmt: skip
        (
            [ibuprofen(courses=[{"started_on": "2026-01-01", "dose_amount": 4, "dose_unit": "pint"}])],
            [],
            f"treatments[0] (id {TID}): courses[0].dose_unit:",
        ),  # fmt: skip
        ([ibuprofen(id=None)], [], "treatments[0]: id:"),
        (
            [ibuprofen()],
            [dose(taken_at="2025-11-30T09:00:00Z")],
            "doses[0] (id a1e7d3f0-1111-4c8e-9e0a-5b6c7d8e9f00): "
            "taken_at: That is before Ibuprofen started (1 Dec 2025).",
        ),  # fmt: skip
        ([ibuprofen()], [dose(taken_at="2026-06-11T09:00:00Z")], "taken_at: The time can't be in the future."),
        ([ibuprofen()], [dose(amount=0)], "amount:"),
        ([ibuprofen()], [dose(status="missed", effect="")], "status:"),
        (
            [
                ibuprofen(
                    schedule="regular",
                    courses=[{"started_on": "2025-12-01", "dose_amount": 400, "dose_unit": "mg", "times_per_day": 1}],
                )
            ],
            [dose(status="missed")],
            "effect: Only a dose taken can have an effect",
        ),  # fmt: skip
        ([ibuprofen()], [dose(treatment_id=str(uuid.uuid4()))], "treatment_id: no treatment"),
        ([ibuprofen()], [dose(episode_id=str(uuid.uuid4()))], "episode_id: no episode"),
        ([ibuprofen()], [dose(), dose()], "doses: id a1e7d3f0-1111-4c8e-9e0a-5b6c7d8e9f00 appears 2 times."),
    ],
)
def test_bad_records_are_named_and_nothing_is_imported(db, treatments, doses, expected):
    patient = make_patient()
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=patient, document=document(treatments, doses))
    assert any(expected in problem for problem in error.value.problems), error.value.problems
    assert not Episode.objects.exists() and not Treatment.objects.exists() and not Dose.objects.exists()


def test_another_accounts_treatment_id_is_refused(db):
    import_diary(patient=make_patient("first"), document=document([ibuprofen()]))
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=make_patient("second"), document=document([ibuprofen()], episodes=[]))
    assert f"treatments (id {TID}): id: this id belongs to another account's treatment." in error.value.problems


def test_a_dose_may_name_a_treatment_and_an_episode_already_in_the_diary(db):
    patient = make_patient()
    import_diary(patient=patient, document=document([ibuprofen()]))
    import_diary(patient=patient, document=document([], [dose()], episodes=[]))
    assert Dose.objects.get().episode_id == uuid.UUID(EPISODE)


def test_download_my_data_holds_the_treatments(web, patient):
    import_diary(patient=patient, document=document([ibuprofen()], [dose()]))
    downloaded = json.loads(web.get("/settings/my-data.json").content)
    assert downloaded["format"] == FORMAT
    assert downloaded["treatments"] == [ibuprofen()] and downloaded["doses"] == [dose()]
