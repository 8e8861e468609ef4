"""History: episodes grouped by local day, newest first, with a date range and pages."""

import datetime as dt
import re

from diary import services
from diary.views import HISTORY_PAGE_SIZE
from tests.conftest import earlier_today, log


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


def test_notes_are_shown_under_their_episode(web, patient):
    log(patient, started_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), notes="After the long drive <b>home</b>")
    page = web.get("/history/").content.decode()
    assert '<p class="notes">After the long drive &lt;b&gt;home&lt;/b&gt;</p>' in page  # shown, and escaped


def test_no_numbness_days_are_shown_between_the_episodes(web, patient):
    today = dt.date(2026, 3, 20)
    log(patient, started_at=dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC))
    log(patient, started_at=dt.datetime(2026, 3, 14, 12, tzinfo=dt.UTC))
    for day in (9, 12, 18):
        services.save_checkin(patient=patient, date=dt.date(2026, 3, day), numbness_today=False, today=today)
    page = web.get("/history/").content.decode()
    order = [page.index(f"{day} March 2026") for day in (18, 14, 12, 10, 9)]
    assert order == sorted(order)  # newest first, check-in days among the episode days
    assert page.count("No numbness this day.") == 3
    ranged = web.get("/history/", {"from": "2026-03-11", "to": "2026-03-13"}).content.decode()
    assert "Thursday 12 March 2026" in ranged and ranged.count("No numbness this day.") == 1
    assert "10 March 2026" not in ranged and "14 March 2026" not in ranged


def test_each_no_numbness_day_shows_on_exactly_one_page(web, patient):
    start = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)
    for n in range(HISTORY_PAGE_SIZE + 3):  # one episode every other day
        log(patient, started_at=start + dt.timedelta(days=2 * n))
    today = dt.date(2026, 12, 31)
    gaps = [dt.date(2026, 1, 2), dt.date(2026, 1, 4), start.date() + dt.timedelta(days=2 * HISTORY_PAGE_SIZE + 5)]
    for day in gaps:
        services.save_checkin(patient=patient, date=day, numbness_today=False, today=today)
    pages = [web.get("/history/", {"page": n}).content.decode() for n in (1, 2)]
    for day in gaps:
        heading = f"{day:%A} {day.day} {day:%B %Y}"
        assert sum(heading in page for page in pages) == 1, heading
    assert sum(page.count("No numbness this day.") for page in pages) == 3


def test_another_patients_checkins_are_not_shown(client, patient, other_patient):
    services.save_checkin(patient=patient, date=dt.date(2026, 3, 9), numbness_today=False, today=dt.date(2026, 3, 9))
    client.force_login(other_patient)
    assert "No numbness this day." not in client.get("/history/").content.decode()


def test_an_episodes_places_read_as_the_leg_map_says_them(web, patient):
    """Toes before sole, one phrase: as the map's read-back, the Save bar and the repeat cards say it (the rows once
    said "Left sole, Left toes", in the order of the database's codes)."""
    log(patient, earlier_today(patient), locations=[("left", "sole"), ("right", "saddle"), ("left", "toes")])
    for path in ("/history/", "/"):  # on Today too, so logged today
        page = web.get(path).content.decode()
        assert "Left toes, left sole, between the legs / around the bottom (right side)" in page, path


def test_an_episodes_line_says_every_symptom_ticked_as_the_report_does(web, patient):
    """ "Cramps" ticked under "Other symptoms" was in the edit form, the export and the report's "Also ticked", and on
    no page's line: the patient could not see what the physician would read. Alarm signs keep their own line."""
    started = dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)
    episode = log(patient, started_at=started, symptoms=["cramps", "leg_swollen"], relieved_by=["walking_around"])
    for path in ("/history/", "/days/2026-03-10/"):
        line = re.findall(r'<article class="episode.*?</article>', web.get(path).content.decode(), re.S)[0]
        assert "Helped: Walking around · Also: Cramps</small>" in line, path
        assert "Leg swollen" in line.split("</small>")[1]  # the alarm sign's line, not "Also"
    assert episode.other_symptoms == ["cramps"]
