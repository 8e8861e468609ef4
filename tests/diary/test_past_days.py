"""Past days: Today's week and History lead to a day's page, where a forgotten day is filled in ("no numbness",
or an episode then); a day with episodes offers to add one, never to delete them."""

import datetime as dt

import time_machine
from django.utils.html import strip_tags

from diary.history import Gap, HistoryDay, with_gaps
from diary.models import CheckIn
from tests.conftest import log
from tests.diary.test_log_episode import form_data

NOW = dt.datetime(2026, 3, 18, 15, 0, tzinfo=dt.UTC)  # Wednesday 18 March, in London
travel = time_machine.travel(NOW, tick=False)


def at(day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=dt.UTC)


@travel
def test_every_day_of_todays_week_leads_to_its_page(web, patient):
    page = web.get("/").content.decode()
    for day in range(12, 19):
        assert f'href="/days/2026-03-{day:02d}/"' in page
    assert "Tap a day to fill it in." in page


@travel
def test_a_forgotten_day_is_said_to_have_had_no_numbness(web, patient):
    page = web.get("/days/2026-03-16/").content.decode()
    assert "Nothing logged for this day yet." in page
    assert 'action="/days/2026-03-16/checkin/"' in page and "No numbness this day" in page
    assert 'href="/log/?day=2026-03-16&amp;next=%2Fdays%2F2026-03-16%2F"' in page
    response = web.post("/days/2026-03-16/checkin/", {"answer": "none"}, follow=True)
    assert "Noted: no numbness on 16 Mar." in response.content.decode()
    assert CheckIn.objects.get(patient=patient).date == dt.date(2026, 3, 16)
    assert "Monday 16 March: no numbness" in web.get("/").content.decode()
    cleared = web.post("/days/2026-03-16/checkin/", {"answer": "clear"}, follow=True).content.decode()
    assert "Cleared: 16 Mar is not logged." in cleared and not CheckIn.objects.exists()


@travel
def test_an_episode_is_logged_on_a_past_day_and_the_day_page_comes_back(web, patient):
    page = web.get("/log/", {"day": "2026-03-16", "next": "/days/2026-03-16/"}).content.decode()
    assert 'name="next" value="/days/2026-03-16/"' in page
    response = web.post(
        "/log/", form_data(when="earlier", started_at="2026-03-16T07:40", next="/days/2026-03-16/"), follow=True
    )
    assert response.redirect_chain[-1][0] == "/days/2026-03-16/"
    page = response.content.decode()
    assert "Episode saved." in page and "1 episode logged this day." in page
    assert patient.episodes.get().started_at == at(16, 7) + dt.timedelta(minutes=40)


@travel
def test_a_day_with_an_episode_offers_to_add_one_never_to_delete(web, patient):
    log(patient, started_at=at(15))
    page = web.get("/days/2026-03-15/").content.decode()
    assert "Add an episode on this day" in page
    assert "No numbness this day" not in page and "delete" not in page.lower().split("<main")[1]
    # A "no numbness" for it that arrives anyway (another tab, the queue) changes nothing and says why, calmly.
    response = web.post("/days/2026-03-15/checkin/", {"answer": "none"}, follow=True)
    text = response.content.decode()
    assert "15 Mar 2026 has 1 episode logged, so it was a day with numbness." in text
    assert 'class="message info"' in text and CheckIn.objects.get().numbness_today is True


@travel
def test_the_shortcut_on_a_day_with_an_episode_offers_another(web, patient):
    log(patient, started_at=NOW - dt.timedelta(hours=1))
    page = web.get("/today/no-numbness/").content.decode()
    assert "You logged numbness today" in page and "Log another episode" in page
    assert 'action="/checkin/none/"' not in page


@travel
def test_history_lists_the_days_with_nothing_logged_as_links(web, patient):
    patient.date_joined = at(10)
    patient.save()
    log(patient, started_at=at(17))
    log(patient, started_at=at(12))
    page = web.get("/history/").content.decode()
    text = strip_tags(page)
    assert text.index("Wed 18 Mar") < text.index("Tuesday 17 March 2026")  # today: nothing logged yet
    for day in (18, 16, 15, 14, 13, 11, 10):
        assert f'href="/days/2026-03-{day:02d}/"' in page
    assert "Nothing logged on 4 days" in text  # 13 to 16 March
    assert 'href="/days/2026-03-09/"' not in page  # before the diary began
    assert 'id="day-2026-03-17"' in page and '<a href="/days/2026-03-17/">' in page


@travel
def test_a_gap_of_eight_days_lists_seven_and_names_the_one_left_in_the_singular(web, patient):
    patient.date_joined = at(9)
    patient.save()
    log(patient, started_at=at(18, 9))
    log(patient, started_at=at(9))  # nothing logged 10 to 17 March: 8 days, 7 of them listed
    text = " ".join(strip_tags(web.get("/history/").content.decode()).split())
    assert "Nothing logged on 8 days" in text
    assert "and 1 earlier day, back to 10 Mar 2026: choose it with From and To." in text


def test_gaps_between_the_days_of_a_page():
    day = dt.date(2026, 3, 1)
    days = [HistoryDay(day + dt.timedelta(days=9), []), HistoryDay(day + dt.timedelta(days=5), [])]
    items = with_gaps(days, newest=day + dt.timedelta(days=10), oldest=day)
    assert [type(i).__name__ for i in items] == ["Gap", "HistoryDay", "Gap", "HistoryDay", "Gap"]
    first, middle, last = (i for i in items if isinstance(i, Gap))
    assert (first.newest, first.oldest, first.days) == (day + dt.timedelta(days=10), day + dt.timedelta(days=10), 1)
    assert (middle.newest, middle.oldest) == (day + dt.timedelta(days=8), day + dt.timedelta(days=6))
    assert (last.newest, last.oldest, last.days) == (day + dt.timedelta(days=4), day, 5)
    long = Gap(day + dt.timedelta(days=30), day)
    assert len(long.listed) == 7 and long.listed[0] == long.newest and long.more == 24
    assert with_gaps(days, newest=day + dt.timedelta(days=9), oldest=day + dt.timedelta(days=5)) == [
        days[0],
        Gap(day + dt.timedelta(days=8), day + dt.timedelta(days=6)),
        days[1],
    ]


@travel
def test_an_edit_from_history_comes_back_to_that_day_saying_so(web, patient):
    episode = log(patient, started_at=at(12))
    page = web.get("/history/").content.decode()
    link = f'href="/episodes/{episode.id}/edit/?next=%2Fhistory%2F%3Fat%3D2026-03-12%23day-2026-03-12"'
    assert link in page
    back = "/history/?at=2026-03-12#day-2026-03-12"
    response = web.post(
        f"/episodes/{episode.id}/edit/", form_data(when="earlier", started_at="2026-03-12T09:00", next=back)
    )
    assert response["Location"] == back
    page = web.get("/history/", {"at": "2026-03-12"}).content.decode()
    day = page.split('id="day-2026-03-12"')[1]
    assert "Changes saved." in day.split("</section>")[0]  # said at that day, not at the top of the page
    assert "Changes saved." not in page.split('id="day-2026-03-12"')[0]


@travel
def test_day_pages_are_bounded_and_private(web, patient, other_patient):
    log(other_patient, started_at=at(14), notes="bob's own note")
    assert "bob&#x27;s own note" not in web.get("/days/2026-03-14/").content.decode()
    assert web.get("/days/2026-03-19/").status_code == 404  # tomorrow
    assert web.get("/days/1999-12-31/").status_code == 404
    assert web.get("/days/2026-02-30/").status_code == 404
    assert web.post("/days/2026-03-19/checkin/", {"answer": "none"}).status_code == 404
    assert not CheckIn.objects.filter(patient=patient).exists()
