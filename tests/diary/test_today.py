"""Today as a home: the week strip, this month, the last episode and episodes still going."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from diary import clock, services, today
from tests.conftest import log

LONDON = zoneinfo.ZoneInfo("Europe/London")
NOW = dt.datetime(2026, 3, 18, 15, 0, tzinfo=LONDON)  # a Wednesday
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def at(day_offset: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(TODAY + dt.timedelta(days=day_offset), dt.time(hour, minute), tzinfo=LONDON)


def joined(patient, day: dt.date) -> None:
    patient.date_joined = dt.datetime.combine(day, dt.time(8), tzinfo=LONDON)
    patient.save(update_fields=["date_joined"])


def test_the_week_is_seven_days_to_today_with_their_states(frozen, patient):
    joined(patient, dt.date(2026, 1, 1))
    log(patient, started_at=at(-1))
    log(patient, started_at=at(-6, 23, 30))  # late evening in London: still that local day
    services.save_checkin(patient=patient, date=TODAY - dt.timedelta(days=2), numbness_today=False, today=TODAY)
    week = today.home(patient, LONDON, TODAY).week
    assert [d.date for d in week] == [TODAY - dt.timedelta(days=n) for n in range(6, -1, -1)]
    assert [d.state for d in week] == [
        "numbness",
        "not_logged",
        "not_logged",
        "not_logged",
        "none",
        "numbness",
        "not_logged",
    ]
    assert [d.is_today for d in week] == [False] * 6 + [True]


def test_a_new_diary_has_no_not_logged_days_before_it_began(frozen, patient):
    joined(patient, TODAY - dt.timedelta(days=1))
    data = today.home(patient, LONDON, TODAY)
    assert [d.state for d in data.week] == ["before_start"] * 5 + ["not_logged", "not_logged"]
    assert (data.month.days_so_far, data.month.days_logged) == (2, 0)
    assert data.new_diary and data.last_episode is None and data.ongoing == []


def test_an_imported_entry_older_than_the_account_starts_the_diary(frozen, patient):
    joined(patient, TODAY)
    log(patient, started_at=at(-4))
    data = today.home(patient, LONDON, TODAY)
    assert [d.state for d in data.week] == ["before_start"] * 2 + ["numbness"] + ["not_logged"] * 4
    assert data.started == TODAY - dt.timedelta(days=4)


def test_days_logged_this_month(frozen, patient):
    joined(patient, dt.date(2026, 1, 1))
    log(patient, started_at=at(-17))  # 1 March
    log(patient, started_at=at(-18))  # 28 February: another month
    log(patient, started_at=at(0, 8))
    services.save_checkin(patient=patient, date=TODAY - dt.timedelta(days=9), numbness_today=False, today=TODAY)
    month = today.home(patient, LONDON, TODAY).month
    assert (month.first, month.days_so_far, month.days_logged, month.days_with_numbness) == (
        dt.date(2026, 3, 1),
        18,
        3,
        2,
    )


def test_today_page_shows_the_week_the_month_and_the_last_episode(frozen, web, patient):
    joined(patient, dt.date(2026, 1, 1))
    log(patient, started_at=at(-1, 20, 15), severity=6, duration_minutes=12)
    page = web.get("/").content.decode()
    assert "Tuesday 17 March: numbness" in page and "Wednesday 18 March: not logged" in page
    assert "1 of 18 days" in page and "Logged in March" in page
    assert "Tue 17 Mar, 20:15" in strip_tags(page) and 'class="sev-badge sev-6"' in page and "12 min" in page


def test_an_episode_still_going_can_be_stopped_now(frozen, web, patient):
    episode = log(patient, started_at=at(0, 14, 5), duration_minutes=None, triggers=["sitting"], notes="desk")
    page = web.get("/").content.decode()
    assert "Still going since 14:05" in strip_tags(page)
    assert f'action="/episodes/{episode.id}/stopped/"' in page
    assert f'href="/episodes/{episode.id}/edit/?next=/#field-duration"' in page  # and back to Today

    response = web.post(f"/episodes/{episode.id}/stopped/", follow=True)
    episode.refresh_from_db()
    assert episode.duration_minutes == 55  # 14:05 to 15:00
    assert (episode.triggers, episode.notes, episode.locations.count()) == (["sitting"], "desk", 1)
    page = response.content.decode()
    assert "Noted: it lasted 55 minutes." in page and "Still going" not in page

    again = web.post(f"/episodes/{episode.id}/stopped/", follow=True).content.decode()
    assert "already has a duration" in again
    episode.refresh_from_db()
    assert episode.duration_minutes == 55


def test_an_episode_forgotten_for_days_stops_at_the_longest_duration(frozen, web, patient):
    episode = log(patient, started_at=at(-3), duration_minutes=None)
    assert "Still going since Sun 15 Mar, 09:00" in strip_tags(web.get("/").content.decode())
    page = web.post(f"/episodes/{episode.id}/stopped/", follow=True).content.decode()
    episode.refresh_from_db()
    assert episode.duration_minutes == 24 * 60
    assert "Saved as 24 hours, the longest an episode can be" in page


def test_another_patients_episode_cannot_be_stopped(frozen, client, patient, other_patient):
    episode = log(other_patient, started_at=at(0, 14), duration_minutes=None)
    client.force_login(patient)
    assert client.post(f"/episodes/{episode.id}/stopped/").status_code == 404
    assert client.get(f"/episodes/{episode.id}/stopped/").status_code == 405
    episode.refresh_from_db()
    assert episode.duration_minutes is None


def test_today_costs_the_same_queries_for_a_long_diary(frozen, web, patient):
    for n in range(5):
        log(patient, started_at=at(-2, 8 + n), duration_minutes=None)
    with CaptureQueriesContext(connection) as short:
        web.get("/")
    for n in range(40):
        log(patient, started_at=at(-(n % 20) - 1, 7 + n % 10), duration_minutes=None if n % 7 == 0 else 5)
    with CaptureQueriesContext(connection) as long:
        web.get("/")
    assert len(long) == len(short)


def test_durations_in_words():
    assert [clock.duration_words(m) for m in (0, 1, 55, 60, 61, 125)] == [
        "0 minutes",
        "1 minute",
        "55 minutes",
        "1 hour",
        "1 hour 1 minute",
        "2 hours 5 minutes",
    ]
