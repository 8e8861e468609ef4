"""Two saves of the same new dose or treatment id at the same moment (a double tap, the queue's replay racing the
original): real concurrent requests against the live server, one create and one replace, one row, no error."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import add_treatment, make_patient, token_for
from tests.diary.test_races import api_put, race
from treatments.models import Dose, Treatment

ROUNDS = 30


@pytest.fixture(autouse=True)
def frozen():
    """The live server's threads read the real clock: no frozen time here."""
    yield


@pytest.mark.integration
def test_simultaneous_saves_of_a_new_dose_or_treatment_leave_one_row(transactional_db, live_server):
    patient = make_patient()
    token = token_for(patient)
    month_ago = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=30)
    ibuprofen = add_treatment(patient, "Ibuprofen", started_on=month_ago, dose_amount="400", schedule="as_needed")
    taken: dict[str, object] = {
        "treatment_id": str(ibuprofen.id),
        "taken_at": (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(),
    }
    course = {"started_on": month_ago.isoformat(), "dose_amount": 75, "dose_unit": "mg", "times_per_day": 2}
    treatment: dict[str, object] = {
        "name": "Pregabalin",
        "kind": "medication",
        "schedule": "regular",
        "courses": [course],
    }

    for route, body, rows in (("doses", taken, Dose.objects), ("treatments", treatment, Treatment.objects)):
        results = race(ROUNDS, api_put(f"{live_server.url}/api/v1/{route}/", token, body))
        failures = [(i, a) for i, a in results if sorted(a) != [(200, False), (201, True)]]
        assert failures == [], f"{route}: {len(failures)} of {ROUNDS} pairs did not end in one create and one replace"
        assert rows.filter(id__in=[i for i, _ in results]).count() == ROUNDS
