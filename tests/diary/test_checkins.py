"""Daily check-ins: "no numbness today" is told apart from "not logged"."""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine

from diary import interchange, services
from diary.models import CheckIn
from tests.conftest import log
from tests.diary.test_log_episode import form_data

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
def test_no_numbness_is_neither_offered_nor_taken_while_an_episode_started_before_is_still_going(web, api, patient):
    # Started last night at 23:54 (London, an hour ahead of UTC in June), no duration yet: still going at 13:00,
    # so today is a day with numbness.
    going = log(patient, started_at=NOW - dt.timedelta(hours=13, minutes=6), duration_minutes=None)
    assert going.ongoing
    page = web.get("/").content.decode()
    assert "Still going since" in page and "No numbness today" not in page
    response = web.post("/checkin/none/", follow=True)
    assert "An episode is still going, so 10 Jun 2026 can't be noted as a day without numbness." in (
        response.content.decode().replace("&#x27;", "'")
    )
    refused = api.put("/api/v1/checkins/2026-06-10/", {"numbness_today": False}, format="json")
    assert refused.status_code == 400 and "still going" in refused.json()["numbness_today"][0]
    assert not patient.checkins.filter(date=dt.date(2026, 6, 10)).exists()
    # The day before it started is not covered: a "no numbness" for it is taken.
    assert api.put("/api/v1/checkins/2026-06-08/", {"numbness_today": False}, format="json").status_code == 201
    # Stopped now, it lasted from last night into today: today is still a day with numbness.
    web.post(f"/episodes/{going.id}/stopped/")
    going.refresh_from_db()
    assert not going.ongoing and going.duration_minutes == 13 * 60 + 6
    lasted = api.put("/api/v1/checkins/2026-06-10/", {"numbness_today": False}, format="json")
    assert lasted.status_code == 400
    why = (
        "An episode that started the day before lasted into 10 Jun 2026, so it can't be noted as a day without "
        "numbness."
    )
    assert lasted.json()["numbness_today"] == [why]
    why = why.replace("'", "&#x27;")  # as a page writes it
    # No page offers what would be refused; each says why instead (Today offered it once the episode had stopped).
    for path in ("/", "/days/2026-06-10/", "/today/no-numbness/"):
        page = web.get(path).content.decode()
        assert "No numbness today" not in page.split("<main")[1] and "No numbness this day" not in page, path
        assert why in page, path
    assert "Nothing logged for this day yet" not in web.get("/days/2026-06-10/").content.decode()
    # Tapped anyway (a page open from before), the day's page says the same.
    said = web.post("/days/2026-06-10/checkin/", {"answer": "none"}, follow=True).content.decode()
    assert why in said and not patient.checkins.filter(date=dt.date(2026, 6, 10)).exists()


@time_machine.travel(NOW, tick=False)
def test_no_numbness_is_taken_for_a_day_an_earlier_episode_ended_before(api, patient):
    # From 22:00 to 23:30 the evening before (London): over before midnight, so today was clear.
    log(patient, started_at=NOW - dt.timedelta(hours=15), duration_minutes=90)
    assert api.put("/api/v1/checkins/2026-06-10/", {"numbness_today": False}, format="json").status_code == 201


LATE_EVENING = dt.datetime(2026, 6, 9, 22, 0, tzinfo=dt.UTC)  # 23:00 in London (BST)
JUNE = [dt.date(2026, 6, day) for day in (10, 11, 12)]


@pytest.mark.parametrize(
    ("minutes", "ongoing", "taken_back", "refused"),
    [
        (59, False, [], []),  # over at 23:59
        (60, False, [], []),  # over at midnight: the 10th was clear
        (61, False, JUNE[:1], JUNE[:1]),  # to 00:01 on the 10th
        (24 * 60, False, JUNE[:1], JUNE[:1]),  # the longest an episode lasts: to 23:00 on the 10th
        # Still going on the 20th: "no numbness" is refused for every day since, but a note is taken back only
        # for the longest an episode lasts (as ending it caps it): one forgotten as "still going" since March must
        # not wipe every "no numbness" since.
        (None, True, JUNE[:1], JUNE),
        (None, False, [], []),  # over, how long not known
    ],
)
def test_an_episode_logged_into_days_noted_without_numbness_takes_those_notes_back(
    api, patient, minutes, ongoing, taken_back, refused
):
    """'No numbness' is refused for a day an earlier episode lasted into; an episode logged after the note (for days
    it lasted into) takes the note back, by the same rule: the days become "not logged", as the calendar counts an
    episode on the day it started."""
    with time_machine.travel(dt.datetime(2026, 6, 20, 12, 0, tzinfo=dt.UTC), tick=False):
        for day in JUNE:
            assert api.put(f"/api/v1/checkins/{day}/", {"numbness_today": False}, format="json").status_code == 201
        saved = services.save_episode(
            patient=patient, episode_id=uuid.uuid4(), started_at=LATE_EVENING, duration_minutes=minutes,
            duration_unknown=minutes is None and not ongoing, severity=4, locations=[("left", "sole")],
        )  # fmt: skip
        left = sorted(patient.checkins.filter(numbness_today=False).values_list("date", flat=True))
        assert left == [day for day in JUNE if day not in taken_back] and saved.taken_back == taken_back
        # One rule: a day the save took the note back from is one "no numbness" is refused for now.
        assert [day for day in JUNE if services.numbness_logged(patient, day)] == refused
        assert patient.checkins.get(date=dt.date(2026, 6, 9)).numbness_today  # the day it started, as any save


@pytest.mark.parametrize(
    ("started", "taken_back"),
    [
        # The clocks go back at 02:00 on 25 Oct 2026: 24 hours from 00:30 end at 23:30 the same day.
        (dt.datetime(2026, 10, 25, 0, 30), []),  # noqa: DTZ001 - a wall-clock time in the patient's zone
        # They go forward at 01:00 on 29 Mar 2026: 24 hours from 23:30 on the 28th end at 00:30 on the 30th.
        (dt.datetime(2026, 3, 28, 23, 30), [dt.date(2026, 3, 29), dt.date(2026, 3, 30)]),  # noqa: DTZ001
    ],
)
def test_the_days_an_episode_lasted_into_are_counted_on_the_clock_not_the_calendar(api, patient, started, taken_back):
    london = zoneinfo.ZoneInfo("Europe/London")  # the patient's zone
    assert patient.profile.zone == london
    after = [started.date() + dt.timedelta(days=n) for n in (1, 2)]
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC), tick=False):
        for day in after:
            assert api.put(f"/api/v1/checkins/{day}/", {"numbness_today": False}, format="json").status_code == 201
        saved = services.save_episode(
            patient=patient, episode_id=uuid.uuid4(), started_at=started.replace(tzinfo=london),
            duration_minutes=24 * 60, severity=4, locations=[("left", "sole")],
        )  # fmt: skip
        assert saved.taken_back == taken_back
        assert [day for day in after if services.numbness_logged(patient, day)] == taken_back


@time_machine.travel(NOW, tick=False)
def test_an_edit_that_makes_an_episode_last_past_midnight_takes_back_the_next_days_no_numbness(web, api, patient):
    episode = log(patient, started_at=LATE_EVENING, duration_minutes=45)
    assert api.put("/api/v1/checkins/2026-06-10/", {"numbness_today": False}, format="json").status_code == 201
    assert "You noted: no numbness this day." in web.get("/days/2026-06-10/").content.decode()
    record = api.get(f"/api/v1/episodes/{episode.id}/").json()
    longer = api.put(f"/api/v1/episodes/{episode.id}/", record | {"duration_minutes": 90}, format="json")
    assert longer.status_code == 200
    assert not patient.checkins.filter(date=dt.date(2026, 6, 10)).exists()
    page = web.get("/days/2026-06-10/").content.decode().replace("&#x27;", "'")
    assert "You noted: no numbness this day." not in page
    assert "An episode that started the day before lasted into 10 Jun 2026" in page
    # Logged on the form, the page it goes back to says so.
    services.save_checkin(patient=patient, date=dt.date(2026, 6, 5), numbness_today=False, today=NOW.date())
    data = form_data(when="earlier", started_at="2026-06-04T23:30", duration="custom", duration_custom="60")
    page = web.post("/log/", data, follow=True).content.decode()
    assert "It lasted into 5 Jun 2026, so “no numbness” noted there is taken back." in page
    # A day with numbness noted is not touched.
    services.save_checkin(patient=patient, date=dt.date(2026, 6, 8), numbness_today=True, today=NOW.date())
    log(patient, started_at=LATE_EVENING - dt.timedelta(days=2), duration_minutes=120)
    assert patient.checkins.get(date=dt.date(2026, 6, 8)).numbness_today


def remove_right_after(web, episode_id: str, removal: str) -> tuple[str, str]:
    """The entry just saved taken out by its Undo or by "Logged by mistake?" on its warning screen: what the page
    says first, and the page."""
    if removal == "undo":
        page = web.post(f"/episodes/{episode_id}/delete/", {"undo": "1"}, follow=True).content.decode()
        return "Undone: that episode is no longer in your diary.", page
    page = web.post(f"/alert/{episode_id}/remove/", follow=True).content.decode()
    return "Removed: that entry is no longer in your diary. The warning it raised is withdrawn.", page


@time_machine.travel(dt.datetime(2026, 6, 5, 0, 0, tzinfo=dt.UTC), tick=False)  # 01:00 on 5 Jun in London
@pytest.mark.parametrize("removal", ["undo", "logged by mistake"])
def test_removing_the_entry_right_after_gives_back_the_no_numbness_its_save_took_back(web, patient, removal):
    """Worked by hand: "no numbness" noted for 3 Jun and for today, 5 Jun; an episode from 23:30 last night for an
    hour takes back today's. Its Undo, or "Logged by mistake?" on the warning screen its saddle numbness raises,
    right after gives it back, and the page says so; 3 Jun's was never touched."""
    for day in (3, 5):
        services.save_checkin(
            patient=patient, date=dt.date(2026, 6, day), numbness_today=False, today=dt.date(2026, 6, 5)
        )
    alarming = {"alarm_symptoms": ["saddle_numbness"]} if removal == "logged by mistake" else {}
    data = form_data(when="earlier", started_at="2026-06-04T23:30", duration="custom", duration_custom="60")
    web.post("/log/", data | alarming)
    assert not patient.checkins.filter(date=dt.date(2026, 6, 5)).exists()

    said, page = remove_right_after(web, data["id"], removal)
    assert f"{said} “No numbness” is noted again for 5 Jun 2026." in page
    notes = dict(patient.checkins.values_list("date", "numbness_today"))
    assert notes == {dt.date(2026, 6, 3): False, dt.date(2026, 6, 5): False}


@time_machine.travel(dt.datetime(2026, 6, 5, 12, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("removal", ["undo", "logged by mistake"])
def test_an_episode_logged_on_a_day_noted_no_numbness_takes_the_note_back_and_its_removal_gives_it_back(
    web, patient, removal
):
    """Worked by hand: "no numbness" noted for 3 Jun, then an episode logged at 10:00 that day (the day page's "Log
    an episode on this day"), sent twice (a double tap: the second finds the note gone already). The day has
    numbness now, and the page the save lands on (Today, or the warning screen) says whose note went; the entry's
    Undo, or "Logged by mistake?" on its warning screen, notes "no numbness" again (it left the day "not logged",
    the patient's own answer gone). Brought back by the delete's Undo, the entry takes the note back once more, and
    removing it again gives it back again."""
    services.save_checkin(patient=patient, date=dt.date(2026, 6, 3), numbness_today=False, today=dt.date(2026, 6, 5))
    alarming = {"alarm_symptoms": ["saddle_numbness"]} if removal == "logged by mistake" else {}
    data = form_data(when="earlier", started_at="2026-06-03T10:00")
    page = web.post("/log/", data | alarming, follow=True).content.decode()
    taken = "“No numbness” noted for 3 Jun 2026 is taken back: this episode started then."
    assert taken in page and patient.checkins.get(date=dt.date(2026, 6, 3)).numbness_today
    web.post("/log/", data | alarming)  # the same entry again: nothing more to take back, the Undo's days kept

    def remove() -> None:
        said, page = remove_right_after(web, data["id"], removal)
        assert f"{said} “No numbness” is noted again for 3 Jun 2026." in page and taken not in page

    remove()
    assert dict(patient.checkins.values_list("date", "numbness_today")) == {dt.date(2026, 6, 3): False}
    if removal == "logged by mistake":  # its Undo is the delete's
        assert taken in web.post("/episodes/restore/", follow=True).content.decode()
        assert patient.checkins.get(date=dt.date(2026, 6, 3)).numbness_today
        remove()
        assert dict(patient.checkins.values_list("date", "numbness_today")) == {dt.date(2026, 6, 3): False}


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("since", ["numbness noted there", "another episode lasts into it", "another entry saved"])
def test_no_numbness_is_given_back_to_a_day_with_numbness_nor_after_another_save(web, patient, since):
    """The entry's Undo gives nothing back once 5 Jun has numbness noted, or another episode (from 4 Jun 22:00 for
    three hours) makes it a day with numbness, or another entry was saved since (its save is the last one: its own
    Undo gives nothing back either)."""
    services.save_checkin(patient=patient, date=dt.date(2026, 6, 5), numbness_today=False, today=NOW.date())
    taker = form_data(when="earlier", started_at="2026-06-04T23:30", duration="custom", duration_custom="60")
    web.post("/log/", taker)
    if since == "numbness noted there":
        services.save_checkin(patient=patient, date=dt.date(2026, 6, 5), numbness_today=True, today=NOW.date())
    elif since == "another episode lasts into it":
        log(patient, started_at=dt.datetime(2026, 6, 4, 22, tzinfo=dt.UTC), duration_minutes=180)
    else:
        other = form_data(when="earlier", started_at="2026-06-03T08:00")
        web.post("/log/", other)
        page = web.post(f"/episodes/{other['id']}/delete/", {"undo": "1"}, follow=True).content.decode()
        assert "Undone: that episode is no longer in your diary." in page and "noted again" not in page
    page = web.post(f"/episodes/{taker['id']}/delete/", {"undo": "1"}, follow=True).content.decode()
    assert "Undone: that episode is no longer in your diary." in page and "noted again" not in page
    kept = list(patient.checkins.filter(date=dt.date(2026, 6, 5)).values_list("numbness_today", flat=True))
    assert kept == ([True] if since == "numbness noted there" else [])


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


@time_machine.travel(NOW, tick=False)
def test_a_diary_exported_before_the_rule_imports_back_with_its_no_numbness_day(patient):
    # Before "no numbness" was refused for a day an earlier episode covered, a patient could say it with an episode
    # still going: their own export of that diary must import back, as it was.
    log(patient, started_at=NOW - dt.timedelta(hours=13, minutes=6), duration_minutes=None)
    CheckIn.objects.create(patient=patient, date=dt.date(2026, 6, 10), numbness_today=False)
    document = interchange.export_diary(patient)
    patient.episodes.all().delete()
    patient.checkins.all().delete()
    summary = interchange.import_diary(patient=patient, document=document)
    assert summary.episodes_created == 1
    assert list(patient.checkins.values_list("date", "numbness_today").order_by("date")) == [
        (dt.date(2026, 6, 9), True),
        (dt.date(2026, 6, 10), False),
    ]
