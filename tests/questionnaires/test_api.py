"""The questionnaires API: definitions, and responses by client UUID with the score computed by the server."""

import datetime as dt
import uuid

import pytest
import time_machine

from questionnaires.models import QuestionnaireResponse
from tests.conftest import make_patient
from tests.questionnaires.conftest import mnsi_answers, response_json

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api):
    with time_machine.travel(NOW, tick=False):
        yield api


@pytest.fixture
def patient(db):
    with time_machine.travel(NOW - dt.timedelta(days=60), tick=False):  # signed up two months ago
        return make_patient()


def url(response_id=None):
    return f"/api/v1/questionnaire-responses/{response_id or uuid.uuid4()}/"


def test_put_creates_then_replaces_by_id_and_the_server_scores(api, patient):
    path = url()
    created = api.put(path, response_json(yes={1, 2, 4, 5, 10, 12, 13}), format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["score"], body["max_score"], body["questionnaire"], body["version"]) == (5, 13, "mnsi-history", "1.0")
    assert body["completed_at"] == "2026-06-10T09:00:00Z" and body["answers"] == mnsi_answers({1, 2, 4, 5, 10, 12, 13})

    again = api.put(path, response_json(yes={1, 2, 4, 5, 10, 12, 13}), format="json")
    assert again.status_code == 200 and again.json()["score"] == 5
    replaced = api.put(path, response_json(yes=range(1, 16)), format="json")
    assert replaced.status_code == 200 and replaced.json()["score"] == 11
    assert patient.questionnaire_responses.get().score == 11
    assert api.get(path).json() == replaced.json()


def test_a_score_sent_by_the_client_is_ignored(api, patient):
    body = api.put(url(), response_json(score=13, max_score=99), format="json").json()  # all "no": 2 points
    assert (body["score"], body["max_score"]) == (2, 13)
    assert patient.questionnaire_responses.get().score == 2


def test_a_time_without_offset_is_read_on_the_patients_clock(api, patient):
    # Europe/London in June is UTC+1.
    body = api.put(url(), response_json(completed_at="2026-06-10T09:00:00"), format="json").json()
    assert body["completed_at"] == "2026-06-10T08:00:00Z"


@pytest.mark.parametrize(
    "change, field, detail",
    [
        (
            {"answers": {k: v for k, v in mnsi_answers().items() if k != "7"}},
            "answers",
            {"7": ["This item needs an answer: true (yes) or false (no)."]},
        ),
        ({"answers": mnsi_answers() | {"16": True}}, "answers", {"16": ["MNSI 1.0 has no item '16'."]}),
        ({"answers": mnsi_answers() | {"3": "yes"}}, "answers", {"3": ["Expected true or false, got 'yes'."]}),
        ({"answers": mnsi_answers() | {"3": 1}}, "answers", {"3": ["Expected true or false, got 1."]}),
        ({"answers": mnsi_answers() | {"3": None}}, "answers", {"3": ["Expected true or false, got None."]}),
        ({"answers": [True] * 15}, "answers", ['Expected an object of answers, one per item, such as {"1": true}.']),
        ({"questionnaire": "phq-9"}, "questionnaire", ['"phq-9" is not a valid choice.']),
        ({"version": "2.0"}, "version", ['"2.0" is not a valid choice.']),
        ({"version": 1.0}, "version", ['"1.0" is not a valid choice.']),
        ({"completed_at": "2026-06-10T12:30:00Z"}, "completed_at", ["The completion time can't be in the future."]),
        (
            {"completed_at": "2026-04-10T10:00:00Z"},
            "completed_at",
            ["The completion time can't be before your diary began (11 April 2026)."],
        ),
        (
            {"completed_at": "0001-01-01T00:00:00+05:00"},
            "completed_at",
            ["The completion time can't be before 1 January 2000."],
        ),
        ({"completed_at": "soon"}, "completed_at", None),
        ({"completed_at": None}, "completed_at", None),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_saves_nothing(api, patient, change, field, detail):
    response = api.put(url(), response_json() | change, format="json")
    assert response.status_code == 400
    assert field in response.json()
    if detail is not None:
        assert response.json()[field] == detail
    assert not QuestionnaireResponse.objects.exists()


def test_a_missing_field_is_named(api, patient):
    for field in ("questionnaire", "version", "completed_at", "answers"):
        body = {k: v for k, v in response_json().items() if k != field}
        response = api.put(url(), body, format="json")
        assert response.status_code == 400 and field in response.json(), field
    assert not QuestionnaireResponse.objects.exists()


def test_an_answer_before_sign_up_is_accepted_once_the_diary_holds_earlier_entries(api, patient):
    from tests.conftest import log

    log(patient, started_at=dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC))  # an imported, older entry
    assert api.put(url(), response_json(completed_at="2026-04-10T10:00:00Z"), format="json").status_code == 201


def test_delete_then_404(api, patient):
    path = url()
    api.put(path, response_json(), format="json")
    assert api.delete(path).status_code == 204
    assert api.delete(path).status_code == 404 and api.get(path).status_code == 404
    assert not QuestionnaireResponse.objects.exists()


def test_malformed_ids_are_json_404s(api):
    for method in ("get", "put", "delete"):
        response = getattr(api, method)("/api/v1/questionnaire-responses/not-a-uuid/", response_json(), format="json")
        assert response.status_code == 404 and "detail" in response.json(), method


def test_the_list_filters_by_questionnaire_and_local_dates(api, patient):
    # 23:30 in London on 31 May is 22:30 UTC: a response of the local date 31 May.
    for completed in ("2026-05-31T22:30:00Z", "2026-06-01T08:00:00Z", "2026-06-09T08:00:00Z"):
        api.put(url(), response_json(completed_at=completed), format="json")
    listing = api.get("/api/v1/questionnaire-responses/").json()
    assert listing["count"] == 3
    assert [r["completed_at"] for r in listing["results"]] == [
        "2026-06-09T08:00:00Z",
        "2026-06-01T08:00:00Z",
        "2026-05-31T22:30:00Z",
    ]
    june_first = api.get("/api/v1/questionnaire-responses/?questionnaire=mnsi-history&from=2026-06-01&to=2026-06-01")
    assert [r["completed_at"] for r in june_first.json()["results"]] == ["2026-06-01T08:00:00Z"]
    may = api.get("/api/v1/questionnaire-responses/?to=2026-05-31").json()
    assert [r["completed_at"] for r in may["results"]] == ["2026-05-31T22:30:00Z"]


@pytest.mark.parametrize(
    "query, field", [("questionnaire=phq-9", "questionnaire"), ("from=June", "from"), ("limit=0", "limit")]
)
def test_bad_list_queries_are_400s_naming_them(api, query, field):
    response = api.get(f"/api/v1/questionnaire-responses/?{query}")
    assert response.status_code == 400 and field in response.json()


def test_the_definitions_give_items_scoring_cut_offs_sources_and_scope(api, settings):
    settings.SITE_URL = "https://diary.example.org"
    [mnsi] = api.get("/api/v1/questionnaires/").json()
    assert (mnsi["id"], mnsi["version"], mnsi["current"], mnsi["max_score"]) == ("mnsi-history", "1.0", True, 13)
    assert mnsi["canonical"] == "https://diary.example.org/fhir/Questionnaire/mnsi-history"
    assert [item["link_id"] for item in mnsi["items"]] == [str(n) for n in range(1, 16)]
    assert mnsi["items"][6]["text"].startswith("When you get into the tub or shower")
    assert [item["link_id"] for item in mnsi["items"] if not item["scored"]] == ["4", "10"]
    assert {item["source"]["url"] for item in mnsi["items"]} == {"https://phenxtoolkit.org/protocols/view/140401"}
    assert [(t["at_least"], t["source"]["id"]) for t in mnsi["thresholds"]] == [(4, "herman-2012"), (7, "herman-2012")]
    assert "not a diagnosis" in mnsi["scope"] and "people with diabetes" in mnsi["validated_for"]
    assert mnsi["terms_of_use"] == "This protocol is freely available; permission not required for use."


def test_signed_out_callers_get_nothing(client):
    assert client.get("/api/v1/questionnaire-responses/").status_code in (401, 403)
    assert client.get("/api/v1/questionnaires/").status_code in (401, 403)
