"""Daily check-ins: "no numbness today" is told apart from "not logged"."""

import datetime as dt

import pytest
import time_machine

from diary.models import CheckIn
from tests.conftest import log

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_no_numbness_button_checks_in_for_today(web, patient):
    assert "No numbness today" in web.get("/").content.decode()
    web.post("/checkin/none/")
    assert list(patient.checkins.values_list("date", "numbness_today")) == [(dt.date(2026, 6, 10), False)]
    page = web.get("/").content.decode()
    assert "You checked in: no numbness today." in page


@time_machine.travel(NOW, tick=False)
def test_no_numbness_is_refused_when_episodes_were_logged_today(web, patient):
    log(patient, started_at=NOW - dt.timedelta(hours=2))
    response = web.post("/checkin/none/", follow=True)
    assert "has 1 episode logged, so it was a day with numbness." in response.content.decode()
    assert patient.checkins.get().numbness_today is True


@time_machine.travel(NOW, tick=False)
def test_api_put_by_date_is_idempotent(api, patient):
    first = api.put("/api/v1/checkins/2026-06-09/", {"numbness_today": False}, format="json")
    second = api.put("/api/v1/checkins/2026-06-09/", {"numbness_today": False}, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert CheckIn.objects.filter(patient=patient).count() == 1
    assert api.get("/api/v1/checkins/2026-06-09/").json() == {"date": "2026-06-09", "numbness_today": False}


@time_machine.travel(NOW, tick=False)
def test_api_rejects_future_dates_and_missing_answer(api):
    future = api.put("/api/v1/checkins/2026-06-11/", {"numbness_today": False}, format="json")
    assert future.status_code == 400 and "date" in future.json()
    missing = api.put("/api/v1/checkins/2026-06-09/", {}, format="json")
    assert missing.status_code == 400 and "numbness_today" in missing.json()
    assert not CheckIn.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_api_lists_by_range_and_deletes(api, patient):
    for day in (7, 8, 9):
        api.put(f"/api/v1/checkins/2026-06-0{day}/", {"numbness_today": day == 8}, format="json")
    listed = api.get("/api/v1/checkins/", {"from": "2026-06-08", "to": "2026-06-09"}).json()
    assert [c["date"] for c in listed] == ["2026-06-09", "2026-06-08"]
    assert api.delete("/api/v1/checkins/2026-06-08/").status_code == 204
    assert api.get("/api/v1/checkins/2026-06-08/").status_code == 404


@time_machine.travel(NOW, tick=False)
def test_no_numbness_sent_late_from_the_phone_answers_for_the_day_it_was_tapped(web, patient):
    """The offline queue sends the tap's date, in JSON: a tap at 23:50 sent next morning is yesterday's."""
    response = web.post("/checkin/none/", {"date": "2026-06-09"}, headers={"Accept": "application/json"})
    assert (response.status_code, response.json()) == (200, {"next": "/"})
    assert list(patient.checkins.values_list("date", "numbness_today")) == [(dt.date(2026, 6, 9), False)]
    again = web.post("/checkin/none/", {"date": "2026-06-09"}, headers={"Accept": "application/json"})
    assert again.status_code == 200 and patient.checkins.count() == 1  # a replay replaces


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    "date, message",
    [
        ("2026-06-11", "You can't check in for a day that hasn't come yet."),
        ("2026-13-40", "Enter a valid date."),
        ("2026-06-02", "This tap was for 2 Jun, over a week ago: it was not saved. Correct that day in History."),
    ],
)
def test_a_bad_no_numbness_date_changes_nothing_and_says_why(web, patient, date, message):
    response = web.post("/checkin/none/", {"date": date}, headers={"Accept": "application/json"})
    assert response.status_code == 400 and response.json() == {"errors": [message]}
    page = web.post("/checkin/none/", {"date": date}, follow=True).content.decode()
    assert message.replace("'", "&#x27;") in page
    assert not patient.checkins.exists()


@time_machine.travel(NOW, tick=False)
def test_a_late_no_numbness_tap_never_overwrites_numbness_noted_that_day(web, patient):
    CheckIn.objects.create(patient=patient, date=dt.date(2026, 6, 9), numbness_today=True)
    response = web.post("/checkin/none/", {"date": "2026-06-09"}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.json() == {"errors": ["You noted numbness on 9 Jun; change that day in History if it was wrong."]}
    assert patient.checkins.get().numbness_today is True
