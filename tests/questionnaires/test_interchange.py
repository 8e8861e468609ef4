"""Questionnaire responses in the interchange document: exported without a score, imported with the score computed
again, all or nothing with the rest of the diary."""

import json

import pytest

from diary.interchange import FORMAT, InterchangeError, dumps, export_diary, import_diary
from diary.models import Episode
from questionnaires.models import QuestionnaireResponse
from tests.conftest import episode_json, make_patient
from tests.questionnaires.conftest import mnsi_answers

RESPONSE_ID = "2b7f1c9e-5d3a-4e8b-9c6f-0a1b2c3d4e5f"
EPISODE_ID = "3f6c2b1e-8d4a-4f2e-9a7b-1c2d3e4f5a6b"


def document(*responses, episodes=()):
    return {
        "format": FORMAT,
        "profile": {"timezone": "Europe/London", "conditions": ["diabetes"], "emergency_number": "999"},
        "episodes": list(episodes),
        "checkins": [],
        "questionnaire_responses": list(responses),
    }


def record(**overrides):
    return {
        "id": RESPONSE_ID,
        "questionnaire": "mnsi-history",
        "version": "1.0",
        "completed_at": "2025-11-03T18:20:00Z",  # before the importing account existed: kept as recorded
        "answers": mnsi_answers({1, 2, 4, 5, 10, 12, 13}),  # 5 points, worked out in test_instruments.py
    } | overrides


def test_a_response_is_imported_with_its_score_computed_and_exported_without_one(db):
    patient = make_patient()
    import_diary(patient=patient, document=document(record(score=13)))
    saved = QuestionnaireResponse.objects.get()
    assert (saved.patient, saved.score, str(saved.id)) == (patient, 5, RESPONSE_ID)
    assert export_diary(patient)["questionnaire_responses"] == [record()]


def test_export_import_export_is_byte_identical(db):
    first = make_patient("first")
    later = record(id="4c8e2f1a-6b3d-4f9e-8a7c-1b2c3d4e5f6a", completed_at="2025-12-01T09:00:00Z")
    shuffled = record(answers=dict(reversed(list(record()["answers"].items()))))
    import_diary(patient=first, document=document(later, shuffled, episodes=[episode_json(id=EPISODE_ID)]))
    exported = dumps(export_diary(first))
    first.delete()
    second = make_patient("second")
    import_diary(patient=second, document=json.loads(exported))
    assert dumps(export_diary(second)) == exported
    assert [r["id"] for r in json.loads(exported)["questionnaire_responses"]] == [RESPONSE_ID, later["id"]]


def test_reimporting_replaces_instead_of_duplicating(db):
    patient = make_patient()
    import_diary(patient=patient, document=document(record()))
    import_diary(patient=patient, document=document(record(answers=mnsi_answers(range(1, 16)))))
    assert list(QuestionnaireResponse.objects.values_list("score", flat=True)) == [11]


@pytest.mark.parametrize(
    "bad, problem",
    [
        (record(id=None), "questionnaire_responses[0]: id: This field may not be null."),
        (
            record(questionnaire="phq-9"),
            f'questionnaire_responses[0] (id {RESPONSE_ID}): questionnaire: "phq-9" is not a valid choice.',
        ),
        (
            record(version="0.9"),
            f'questionnaire_responses[0] (id {RESPONSE_ID}): version: "0.9" is not a valid choice.',
        ),
        (
            record(answers=mnsi_answers() | {"9": "no"}),
            f"questionnaire_responses[0] (id {RESPONSE_ID}): answers[9]: Expected true or false, got 'no'.",
        ),
        (
            record(answers={k: v for k, v in mnsi_answers().items() if k != "15"}),
            f"questionnaire_responses[0] (id {RESPONSE_ID}): answers[15]: "
            "This item needs an answer: true (yes) or false (no).",
        ),
        (
            record(completed_at="2099-01-01T00:00:00Z"),
            f"questionnaire_responses[0] (id {RESPONSE_ID}): completed_at: The completion time can't be in the future.",
        ),
        (
            record(completed_at="1999-12-31T12:00:00Z"),
            f"questionnaire_responses[0] (id {RESPONSE_ID}): completed_at: "
            "The completion time can't be before 1 January 2000.",
        ),
        ("not a record", "questionnaire_responses[0]: Invalid data. Expected a dictionary, but got str."),
    ],
)
def test_a_bad_response_is_named_and_nothing_is_imported(db, bad, problem):
    patient = make_patient()
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=patient, document=document(bad, episodes=[episode_json(id=EPISODE_ID)]))
    assert error.value.problems == [problem]
    assert not QuestionnaireResponse.objects.exists() and not Episode.objects.exists()


def test_the_same_id_twice_and_another_accounts_id_are_refused(db):
    owner = make_patient("owner")
    import_diary(patient=owner, document=document(record()))
    patient = make_patient()
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=patient, document=document(record()))
    assert error.value.problems == [
        f"questionnaire_responses (id {RESPONSE_ID}): id: this id belongs to another account's response."
    ]
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=make_patient("carol"), document=document(record(id=EPISODE_ID), record(id=EPISODE_ID)))
    assert error.value.problems == [f"questionnaire_responses: id {EPISODE_ID} appears 2 times."]
    assert QuestionnaireResponse.objects.get().patient == owner


def test_a_version_1_file_has_no_responses(db):
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=make_patient(), document=document(record()) | {"format": "numbness-diary/1"})
    assert error.value.problems == ["questionnaire_responses: a numbness-diary/1 file has no questionnaire_responses."]


def test_a_file_without_the_key_imports_none(db):
    patient = make_patient()
    doc = document()
    del doc["questionnaire_responses"]
    import_diary(patient=patient, document=doc)
    assert export_diary(patient)["questionnaire_responses"] == []


def test_the_date_of_birth_bounds_an_imported_answer(db):
    import datetime as dt

    patient = make_patient(date_of_birth=dt.date(2010, 5, 1))
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=patient, document=document(record(completed_at="2009-06-01T09:00:00Z")))
    assert error.value.problems == [
        f"questionnaire_responses[0] (id {RESPONSE_ID}): completed_at: "
        "The completion time can't be before your date of birth (1 May 2010)."
    ]


def test_a_date_of_birth_in_the_file_bounds_its_answers_and_a_refusal_names_the_record(db):
    import datetime as dt

    patient = make_patient()
    doc = document(record(completed_at="2009-06-01T09:00:00Z"))
    doc["profile"] |= {"date_of_birth": "2010-05-01"}
    with pytest.raises(InterchangeError) as error:
        import_diary(patient=patient, document=doc)
    assert error.value.problems == [
        f"questionnaire_responses[0] (id {RESPONSE_ID}): completed_at: "
        "The completion time can't be before your date of birth (1 May 2010)."
    ]
    patient.profile.refresh_from_db()
    assert patient.profile.date_of_birth is None and not QuestionnaireResponse.objects.exists()
    doc["profile"]["date_of_birth"] = "2009-05-01"
    import_diary(patient=patient, document=doc)
    patient.profile.refresh_from_db()
    assert patient.profile.date_of_birth == dt.date(2009, 5, 1) and QuestionnaireResponse.objects.count() == 1
