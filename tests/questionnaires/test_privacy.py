"""A patient sees only their own answers: the second patient asks for the first one's through every route."""

import datetime as dt

import pytest
import time_machine

from diary.services import delete_account
from questionnaires.instruments import MNSI_HISTORY
from questionnaires.models import OfferDeclined, QuestionnaireResponse
from questionnaires.services import decline_offer
from tests.questionnaires.conftest import answer, response_json

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def alices_response(patient):
    return answer(patient, NOW - dt.timedelta(days=1), yes={1, 2, 3})  # 5 points


def test_pages_of_another_patients_response_are_404(bob_web, alices_response):
    for path in (
        f"/questionnaires/answers/{alices_response.id}/",
        f"/questionnaires/answers/{alices_response.id}/delete/",
    ):
        assert bob_web.get(path).status_code == 404
        assert bob_web.post(path).status_code == 404
    assert QuestionnaireResponse.objects.get().score == 5


@time_machine.travel(NOW, tick=False)
def test_the_answer_page_cannot_overwrite_another_patients_response_by_id(bob_web, alices_response):
    data = {"id": str(alices_response.id)} | {f"item_{n}": "yes" for n in range(1, 16)}
    assert bob_web.post("/questionnaires/mnsi-history/", data).status_code == 404
    assert bob_web.post("/questionnaires/mnsi-history/", data, HTTP_ACCEPT="application/json").status_code == 404
    alices_response.refresh_from_db()
    assert (alices_response.score, alices_response.patient.username) == (5, "alice")


@time_machine.travel(NOW, tick=False)
def test_api_routes_of_another_patients_response_are_404(bob_api, alices_response):
    path = f"/api/v1/questionnaire-responses/{alices_response.id}/"
    assert bob_api.get(path).status_code == 404
    assert (
        bob_api.put(
            path, response_json(yes=range(1, 16), completed_at="2026-06-10T11:00:00Z"), format="json"
        ).status_code
        == 404
    )
    assert bob_api.delete(path).status_code == 404
    assert bob_api.get("/api/v1/questionnaire-responses/").json()["count"] == 0
    alices_response.refresh_from_db()
    assert (alices_response.score, alices_response.patient.username) == (5, "alice")


def test_another_patients_answers_are_not_in_my_trends_or_export(bob_web, alices_response):
    trends = bob_web.get("/trends/?range=all").content.decode()
    assert "Not answered yet" in trends and str(alices_response.id) not in trends
    assert bob_web.get("/settings/my-data.json").json()["questionnaire_responses"] == []


def test_deleting_the_account_deletes_its_answers_and_its_not_now(patient, alices_response, other_patient):
    decline_offer(patient=patient, instrument=MNSI_HISTORY, on=NOW.date())
    bobs = answer(other_patient, NOW - dt.timedelta(days=1))
    delete_account(patient=patient)
    assert list(QuestionnaireResponse.objects.all()) == [bobs]
    assert not OfferDeclined.objects.exists()
