"""History: episodes grouped by local day, newest first, with a date range and pages."""

import datetime as dt

from diary.views import HISTORY_PAGE_SIZE
from tests.conftest import log


def test_grouped_by_local_day_newest_first(web, patient):
    patient.profile.timezone = "America/Chicago"
    patient.profile.save()
    log(patient, started_at=dt.datetime(2026, 3, 5, 3, 0, tzinfo=dt.UTC), notes="late evening")  # 4 March there
    log(patient, started_at=dt.datetime(2026, 3, 3, 15, 0, tzinfo=dt.UTC))
    page = web.get("/history/").content.decode()
    assert page.index("Wednesday 4 March 2026") < page.index("Tuesday 3 March 2026")
    assert "21:00" in page  # shown in the patient's time


def test_range_filter(web, patient):
    log(patient, started_at=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC))
    log(patient, started_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    page = web.get("/history/", {"from": "2026-03-05", "to": "2026-03-31"}).content.decode()
    assert "10 March 2026" in page and "1 March 2026" not in page
    assert "No episodes in this range" in web.get("/history/", {"from": "2026-04-01"}).content.decode()


def test_paging(web, patient):
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    for n in range(HISTORY_PAGE_SIZE + 3):
        log(patient, started_at=start + dt.timedelta(days=n))
    first = web.get("/history/").content.decode()
    assert "Page 1 of 2" in first and "Older" in first
    second = web.get("/history/", {"page": 2}).content.decode()
    assert "Thursday 1 January 2026" in second and "Thursday 1 January 2026" not in first


def test_a_bad_date_is_reported_not_silently_ignored(web, patient):
    log(patient, started_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    response = web.get("/history/", {"from": "last tuesday"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "From: Enter a valid date." in page and "10 March 2026" in page  # the rest still shows
    reversed_range = web.get("/history/", {"from": "2026-03-31", "to": "2026-03-01"}).content.decode()
    assert "To: The end date is before the start date." in reversed_range
