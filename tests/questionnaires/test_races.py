"""Two saves of the same new response id at the same moment (a double tap, a retry racing the original) both
succeed, one as the create and one as the replace, and leave one row: real concurrent requests to the live server."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.authtoken.models import Token

from diary.clock import utc_timestamp
from questionnaires.models import QuestionnaireResponse
from tests.conftest import make_patient
from tests.diary.test_races import api_put, race
from tests.questionnaires.conftest import response_json

ROUNDS = 100


@pytest.mark.integration
def test_simultaneous_api_saves_of_a_new_id_leave_one_row(transactional_db, live_server):
    patient = make_patient()
    token = Token.objects.create(user=patient).key
    body = response_json(yes={1, 2}, completed_at=utc_timestamp(dt.datetime.now(dt.UTC)))
    send = api_put(f"{live_server.url}/api/v1/questionnaire-responses/", token, body)

    results = race(ROUNDS, send)
    failures = [(i, a) for i, a in results if sorted(a) != [(200, False), (201, True)]]
    assert failures == [], f"{len(failures)} of {len(results)} pairs did not end in one create and one replace"
    assert patient.questionnaire_responses.count() == QuestionnaireResponse.objects.count() == ROUNDS
    assert set(QuestionnaireResponse.objects.values_list("score", flat=True)) == {4}
