"""Every date a patient can give is checked before any arithmetic on it: a 400 naming it, never a 500.

`?to=9999-12-31` on the episodes API and History used to answer 500 (the day after it does not exist); the
same extremes are tried on every route that takes a date, in a zone behind UTC and one ahead of it.
"""

import datetime as dt
import uuid

import pytest

from diary import services
from diary.models import CheckIn, Episode
from report.models import ShareLink
from tests.conftest import episode_json, log

EXTREMES = ["0001-01-01", "0001-01-02", "1899-12-31", "3000-01-01", "9999-12-30", "9999-12-31"]
MESSAGE = "Give a date from 1 January 1900 to 31 December 2999."


@pytest.fixture(params=["America/Chicago", "Pacific/Kiritimati"])
def zone(request, patient):
    services.update_profile(patient=patient, timezone=request.param)
    return request.param


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("name", ["from", "to"])
@pytest.mark.parametrize("route", ["/api/v1/episodes/", "/api/v1/checkins/"])
def test_api_list_bounds_out_of_range_are_a_400_naming_them(token_api, zone, route, name, day):
    response = token_api.get(f"{route}?{name}={day}")
    assert response.status_code == 400
    assert response.json() == {name: [MESSAGE]}


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("name", ["from", "to"])
def test_the_trends_api_refuses_out_of_range_dates_naming_them(token_api, zone, name, day):
    query = {"from": "2026-01-01", "to": "2026-01-31"} | {name: day}
    response = token_api.get("/api/v1/trends/", query)
    assert response.status_code == 400
    assert name in response.json()


def test_the_widest_bounds_still_list_everything(token_api, patient, zone):
    log(patient, dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC))
    response = token_api.get("/api/v1/episodes/?from=1900-01-01&to=2999-12-31")
    assert response.status_code == 200 and response.json()["count"] == 1
    assert token_api.get("/api/v1/checkins/?from=1900-01-01&to=2999-12-31").json()[0]["date"] == "2026-01-10"


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("name", ["from", "to"])
def test_history_says_what_was_wrong_with_the_date_and_shows_the_diary(web, patient, zone, name, day):
    log(patient, dt.datetime(2026, 1, 10, 8, 0, tzinfo=dt.UTC))
    response = web.get(f"/history/?{name}={day}")
    assert response.status_code == 400
    page = response.content.decode()
    assert MESSAGE in page and "Left sole" in page  # the bad date is named and ignored, the diary shown


@pytest.mark.parametrize("day", EXTREMES)
@pytest.mark.parametrize("path", ["/trends/", "/report/"])
def test_the_trends_and_report_pages_refuse_out_of_range_dates(web, zone, path, day):
    response = web.get(path, {"start": day, "end": "2026-01-31"})
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    response = web.get(path, {"start": "2026-01-01", "end": day})
    assert response.status_code == 400


@pytest.mark.parametrize("day", EXTREMES)
def test_a_share_link_for_an_out_of_range_period_is_refused(web, zone, day):
    response = web.post("/report/share/", {"first": "2026-01-01", "last": day, "days": 7})
    assert response.status_code in (302, 400)
    assert not ShareLink.objects.exists()


@pytest.mark.parametrize("day", EXTREMES)
def test_a_checkin_on_an_extreme_date_is_a_4xx(token_api, zone, day):
    assert token_api.put(f"/api/v1/checkins/{day}/", {"numbness_today": True}, format="json").status_code == 400
    assert token_api.get(f"/api/v1/checkins/{day}/").status_code == 404
    assert token_api.delete(f"/api/v1/checkins/{day}/").status_code == 404
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "0001-01-01T00:30",
        "0001-01-01T00:30:00+05:00",
        "0001-01-01T00:30:00-05:00",
        "9999-12-31T23:30",
        "9999-12-31T23:30:00-05:00",
        "9999-12-31T23:30:00+14:00",
    ],
)
def test_an_episode_start_at_the_ends_of_the_calendar_is_a_400_on_the_api_and_the_form(token_api, web, zone, typed):
    response = token_api.put(f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(started_at=typed), format="json")
    assert response.status_code == 400 and "started_at" in response.json()
    form = {"id": str(uuid.uuid4()), "when": "earlier", "started_at": typed, "duration": "5", "severity": "3"}
    response = web.post("/log/", form | {"locations": ["left:sole"]})
    assert response.status_code == 400
    assert not Episode.objects.exists()


@pytest.mark.parametrize("when", ["now", "5", "earlier"])
@pytest.mark.parametrize(
    "tapped", ["0001-01-01", "0001-01-01T00:00:00+05:00", "0001-01-01T00:00:00-05:00", "9999-12-31T23:59:59-05:00"]
)
def test_a_tap_on_save_at_the_ends_of_the_calendar_is_a_400_on_the_form(web, zone, when, tapped):
    """The phone's time of the tap ("Just now", "5 min ago" count back from it) is a date the patient gave too."""
    form = {"id": str(uuid.uuid4()), "when": when, "tapped_at": tapped, "duration": "5", "severity": "3"}
    response = web.post("/log/", form | {"locations": ["left:sole"]})
    assert response.status_code == 400
    if when != "earlier":
        page = response.content.decode()
        error = page[page.index('id="when-error"') :][:300]
        assert "The start time can&#x27;t be" in error
    assert not Episode.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "9999-12-31"])
def test_a_date_of_birth_at_the_ends_of_the_calendar_is_a_400(token_api, zone, day):
    response = token_api.patch("/api/v1/profile/", {"date_of_birth": day}, format="json")
    assert response.status_code == 400 and "date_of_birth" in response.json()
