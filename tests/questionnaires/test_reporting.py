"""What the report is handed about questionnaires: page 1's line, the latest answers, and the FHIR resources
(validated as FHIR R4B), for stories whose right answer was worked out by hand."""

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest

from questionnaires.reporting import answer_sheets, fhir_entries, score_lines
from tests.conftest import make_patient
from tests.questionnaires.conftest import answer

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
FEB, MAY = dt.date(2026, 2, 1), dt.date(2026, 5, 31)
SCOPE = "A screening score for diabetic neuropathy (validated only in people with diabetes), not a diagnosis."


def at(year, month, day, hour=9, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=CHICAGO)


@pytest.fixture
def patient(db):
    return make_patient("carmen", tz="America/Chicago")


@pytest.fixture
def story(patient):
    """Four months of monthly answers in Chicago, and two at the edges of the period by the local date."""
    answer(patient, at(2025, 12, 20), yes={1})  # 3, before the period
    answer(patient, at(2026, 1, 31, 18, 30), yes={1, 2, 3, 5, 6})  # 7: 00:30 UTC on 1 Feb, but 31 Jan in Chicago
    answer(patient, at(2026, 2, 2), yes={1, 2})  # 4: the first of the period
    answer(patient, at(2026, 3, 3), yes={1, 2, 3})  # 5
    answer(patient, at(2026, 5, 31, 23, 30), yes={1, 2, 3, 5, 12})  # 7: the latest, 04:30 UTC on 1 June
    return patient


def test_page_one_gives_latest_first_change_cut_offs_and_scope(story):
    # The last answers: yes on 1, 2, 3, 5, 12 (5 points) and no on 7 and 13 (2 points) = 7, on 31 May in Chicago
    # (04:30 UTC on 1 June). The first in the period is 4 on 2 Feb. Change +3 over 3 responses in the period.
    [line] = score_lines(story, FEB, MAY)
    assert line.sentence == (
        "MNSI (Michigan Neuropathy Screening Instrument, patient history): 7/13 on 31 May 2026; first in period "
        "4/13 on 2 Feb 2026, change +3 (3 responses). Cut-offs 4 and 7 (Herman et al. 2012). " + SCOPE
    )
    assert (line.latest.score, line.earliest.score, line.change, line.count) == (7, 4, 3, 3)


def test_one_response_in_the_period_is_said_to_be_the_only_one(story):
    [line] = score_lines(story, dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    assert line.sentence == (
        "MNSI (Michigan Neuropathy Screening Instrument, patient history): 5/13 on 3 Mar 2026 (the only response in "
        "the period). Cut-offs 4 and 7 (Herman et al. 2012). " + SCOPE
    )
    assert line.change is None


def test_a_fall_is_written_with_a_minus_sign(patient):
    answer(patient, at(2026, 2, 10), yes={1, 2, 3, 5, 6, 8})  # 6 + 2 = 8
    answer(patient, at(2026, 4, 10), yes={1, 2, 3})  # 3 + 2 = 5
    [line] = score_lines(patient, FEB, MAY)
    assert "5/13 on 10 Apr 2026; first in period 8/13 on 10 Feb 2026, change −3 (2 responses)." in line.sentence


def test_the_same_score_again_is_said_as_no_change(patient):
    answer(patient, at(2026, 2, 10), yes={1, 2})  # 2 + 2 = 4
    answer(patient, at(2026, 4, 10), yes={1, 3})  # 2 + 2 = 4
    [line] = score_lines(patient, FEB, MAY)
    assert "4/13 on 10 Apr 2026; first in period 4/13 on 10 Feb 2026, no change (2 responses)." in line.sentence


def test_no_response_in_the_period_no_line(story):
    assert score_lines(story, dt.date(2026, 4, 1), dt.date(2026, 4, 30)) == []
    assert answer_sheets(story, dt.date(2026, 4, 1), dt.date(2026, 4, 30)) == []
    assert fhir_entries(story, dt.date(2026, 4, 1), dt.date(2026, 4, 30), "urn:uuid:x") == []


def test_the_latest_answers_item_by_item_with_what_scored(story):
    [sheet] = answer_sheets(story, FEB, MAY)
    assert sheet.heading == "Michigan Neuropathy Screening Instrument, patient history (version 1.0), 31 May 2026: 7/13"
    by_item = {row.link_id: (row.answer, row.scored, row.point) for row in sheet.rows}
    assert by_item["1"] == ("Yes", True, True)
    assert by_item["4"] == ("No", False, False) and by_item["10"] == ("No", False, False)
    assert by_item["7"] == ("No", True, True) and by_item["13"] == ("No", True, True)
    assert by_item["15"] == ("No", True, False)
    assert sum(row.point for row in sheet.rows) == sheet.score == 7
    assert [row.measures for row in sheet.rows if not row.scored] == ["impaired circulation", "general asthenia"]
    assert (
        sheet.rows[6].text
        == "When you get into the tub or shower, are you able to tell the hot water from the cold water?"
    )
    assert "phenxtoolkit.org" not in sheet.sources and "PhenX Toolkit, protocol 140401" in sheet.sources


def test_fhir_resources_validate_as_r4b_and_carry_score_identifiers_and_canonical(story, settings):
    from fhir.resources.R4B.bundle import Bundle

    settings.SITE_URL = "https://diary.example.org"
    patient_ref = "urn:uuid:6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f"
    entries = fhir_entries(story, FEB, MAY, patient_ref)
    patient = {"fullUrl": patient_ref, "resource": {"resourceType": "Patient", "id": patient_ref[9:]}}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [patient, *entries]}
    Bundle.model_validate(bundle)  # every resource, as FHIR R4B

    kinds = [e["resource"]["resourceType"] for e in entries]
    assert kinds == ["Questionnaire"] + ["QuestionnaireResponse", "Observation"] * 3
    questionnaire = entries[0]["resource"]
    assert (questionnaire["url"], questionnaire["version"]) == (
        "https://diary.example.org/fhir/Questionnaire/mnsi-history",
        "1.0",
    )
    assert [i["linkId"] for i in questionnaire["item"] if i["type"] == "boolean"] == [str(n) for n in range(1, 16)]
    assert "freely available; permission not required" in questionnaire["copyright"]

    response, score = entries[-2]["resource"], entries[-1]["resource"]
    latest = story.questionnaire_responses.latest("completed_at")
    assert response["questionnaire"] == "https://diary.example.org/fhir/Questionnaire/mnsi-history|1.0"
    assert response["identifier"] == {
        "system": "https://diary.example.org/fhir/id/questionnaire-response",
        "value": str(latest.id),
    }
    assert response["authored"] == "2026-06-01T04:30:00Z" and response["subject"] == {"reference": patient_ref}
    assert [i["answer"][0]["valueBoolean"] for i in response["item"][:3]] == [True, True, True]
    assert score["valueQuantity"] == {
        "value": 7,
        "unit": "score",
        "system": "http://unitsofmeasure.org",
        "code": "{score}",
    }
    assert score["code"]["coding"] == [
        {
            "system": "https://diary.example.org/fhir/CodeSystem/questionnaire-score",
            "code": "mnsi-history",
            "display": "Michigan Neuropathy Screening Instrument, patient history: total score",
        }
    ]
    assert score["derivedFrom"] == [{"reference": f"urn:uuid:{response['id']}"}]
    assert entries[-2]["fullUrl"] == f"urn:uuid:{response['id']}"
    assert score["identifier"][0]["value"] == str(latest.id) and score["effectiveDateTime"] == response["authored"]
    assert "not a diagnosis" in score["note"][0]["text"]
    # The scope said once in each, as a sentence of its own or after "Patient-reported;" (it read "a a screening").
    assert (
        questionnaire["purpose"] == "A screening score for diabetic neuropathy (validated only in people with "
        "diabetes), not a diagnosis."
    )
    assert "Patient-reported; a screening score for diabetic neuropathy" in score["note"][0]["text"]
    assert " a a " not in json.dumps(entries).lower()
    assert "loinc" not in json.dumps(entries).lower()  # no LOINC code is known for the MNSI: none is invented


def test_each_resource_validates_on_its_own(story):
    from fhir.resources.R4B.observation import Observation
    from fhir.resources.R4B.questionnaire import Questionnaire
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    models: dict[str, Any] = {
        "Questionnaire": Questionnaire,
        "QuestionnaireResponse": QuestionnaireResponse,
        "Observation": Observation,
    }
    for entry in fhir_entries(story, FEB, MAY, "Patient/1"):
        resource = entry["resource"]
        models[resource["resourceType"]].model_validate(resource)


def test_an_older_result_page_promises_what_the_report_gives(story, web):
    """The 2 Feb answers (4/13) are not what a report from February to May gives (7/13 on 31 May, change +3 from 4):
    the page said the report "gives this score … for any period that includes today"."""
    older = story.questionnaire_responses.get(score=4)
    page = web.get(f"/questionnaires/answers/{older.id}/").content.decode()
    assert "gives this score" not in page
    assert (
        "gives the latest score in its period with its answers and, when the period holds more than one, the "
        "change since the first." in page
    )
    [line] = score_lines(story, FEB, MAY)
    assert (line.latest.score, line.earliest.id, line.change) == (7, older.id, 3)  # what the page now says of it
