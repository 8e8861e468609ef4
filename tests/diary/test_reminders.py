"""The daily reminder email: at the patient's local time, once a day, not after they logged."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth import get_user_model
from django.core import mail

from diary.reminders import send_due_reminders
from tests.conftest import make_patient

# 20:05 in Tokyo is 11:05 UTC.
TOKYO_EVENING = dt.datetime(2026, 6, 10, 11, 5, tzinfo=dt.UTC)


def test_sent_once_at_the_local_reminder_time(db):
    make_patient("aiko", tz="Asia/Tokyo", reminder_time=dt.time(20, 0))
    make_patient("later", tz="Asia/Tokyo", reminder_time=dt.time(21, 0))
    make_patient("no_reminder", tz="Asia/Tokyo")
    with time_machine.travel(TOKYO_EVENING, tick=False):
        assert send_due_reminders() == 1
        assert send_due_reminders() == 0
    assert [m.to for m in mail.outbox] == [["aiko@example.org"]]
    assert "No numbness today" in mail.outbox[0].body
    assert mail.outbox[0].subject == "Numbness Diary: time for your diary entry"  # what a lock screen may show
    with time_machine.travel(TOKYO_EVENING + dt.timedelta(hours=1), tick=False):
        assert send_due_reminders() == 1  # 21:05: now "later" is due
    with time_machine.travel(TOKYO_EVENING + dt.timedelta(days=1), tick=False):
        assert send_due_reminders() == 1  # the next evening, aiko again
    assert [m.to for m in mail.outbox] == [["aiko@example.org"], ["later@example.org"], ["aiko@example.org"]]


def test_not_sent_when_the_patient_already_checked_in(db):
    from diary import services

    patient = make_patient("ken", tz="Asia/Tokyo", reminder_time=dt.time(20, 0))
    with time_machine.travel(TOKYO_EVENING, tick=False):
        services.save_checkin(
            patient=patient, date=dt.date(2026, 6, 10), numbness_today=False, today=dt.date(2026, 6, 10)
        )
        assert send_due_reminders() == 0
    assert mail.outbox == []


def test_a_reminder_in_the_last_minutes_of_the_day_comes_at_the_days_last_check_not_never(db):
    # Beat checks every ten minutes: at 23:50 and then 00:00, when it is already the next day. A reminder set for
    # 23:55 comes at 23:50, the day's last check, rather than on no day at all.
    make_patient("nell", tz="Europe/London", reminder_time=dt.time(23, 55))
    london = ZoneInfo("Europe/London")
    sent = []
    for night in range(2):
        for check in (dt.time(23, 40), dt.time(23, 50), dt.time(0, 0), dt.time(0, 10)):
            day = dt.date(2026, 6, 10 + night + (check.hour == 0))
            moment = dt.datetime.combine(day, check, tzinfo=london)
            with time_machine.travel(moment, tick=False):
                if send_due_reminders():
                    sent.append(moment)
    assert [f"{m:%d %b %H:%M}" for m in sent] == ["10 Jun 23:50", "11 Jun 23:50"]


LONDON, TOKYO = ZoneInfo("Europe/London"), ZoneInfo("Asia/Tokyo")


def at(day: int, hour: int, minute: int = 0, zone: ZoneInfo = LONDON) -> dt.datetime:
    return dt.datetime(2026, 6, day, hour, minute, tzinfo=zone)


def reminded(moment: dt.datetime) -> bool:
    """Beat's check at that moment: whether it sent a reminder."""
    with time_machine.travel(moment, tick=False):
        return send_due_reminders() == 1


def change_reminder(patient, moment: dt.datetime, **changes) -> None:
    """The patient changes their settings at that moment, through the API as through Settings."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(get_user_model().objects.get(pk=patient.pk))  # as a request loads it: fresh
    with time_machine.travel(moment, tick=False):
        assert api.patch("/api/v1/profile/", changes, format="json").status_code == 200


def test_a_reminder_time_chosen_after_it_has_passed_today_starts_tomorrow_not_at_once(client, db):
    patient = make_patient("rosa", tz="Europe/London")
    client.force_login(patient)
    form = {"timezone": "Europe/London", "emergency_number": "999", "email": patient.email, "reminder_time": "08:00"}
    with time_machine.travel(at(10, 15), tick=False):
        assert client.post("/settings/", form).status_code == 302
    assert not reminded(at(10, 15, 10))  # not at ten past three, an hour nobody chose
    assert not reminded(at(10, 23, 50))
    assert reminded(at(11, 8, 0))


def test_a_reminder_moved_earlier_than_now_waits_for_tomorrow_and_one_moved_later_comes_today(db):
    patient = make_patient("rosa", tz="Europe/London", reminder_time=dt.time(21, 0))
    change_reminder(patient, at(10, 15), reminder_time="08:00")
    assert not reminded(at(10, 15, 10))
    assert reminded(at(11, 8, 0))
    change_reminder(patient, at(11, 15), reminder_time="21:00")  # already reminded today: not twice
    assert not reminded(at(11, 21, 0))
    change_reminder(patient, at(12, 7), reminder_time="21:00")
    change_reminder(patient, at(12, 7, 30), reminder_time="22:00")  # not yet reminded today: at the new time
    assert not reminded(at(12, 21, 0))
    assert reminded(at(12, 22, 0))


def test_a_move_to_a_zone_where_the_reminder_time_has_passed_waits_for_it_there(db):
    patient = make_patient("rosa", tz="Europe/London", reminder_time=dt.time(9, 0))
    change_reminder(patient, at(10, 8), timezone="Asia/Tokyo")  # 16:00 in Tokyo: its 09:00 has passed
    assert not reminded(at(10, 16, 10, TOKYO))
    assert not reminded(at(11, 8, 50, TOKYO))
    assert reminded(at(11, 9, 0, TOKYO))


def test_a_time_that_had_passed_then_moved_later_the_same_day_comes_at_the_later_time(db):
    # At 15:00 a 09:00 reminder waits for tomorrow; moved to 20:00 five minutes later, it is still ahead today.
    patient = make_patient("rosa", tz="Europe/London")
    change_reminder(patient, at(10, 15), reminder_time="09:00")
    change_reminder(patient, at(10, 15, 5), reminder_time="20:00")
    assert not reminded(at(10, 19, 50))
    assert reminded(at(10, 20, 0))
    assert not reminded(at(11, 9, 0))  # the 20:00 one, every day now
    assert reminded(at(11, 20, 0))


def test_settings_saved_while_the_reminder_goes_out_do_not_make_it_unsent(db):
    # A Settings request has loaded the profile; Beat sends that evening's reminder; then the request saves a new
    # emergency number. The stale copy must not write the reminder back as not sent: no second one that evening.
    from diary import services

    patient = make_patient("rosa", tz="Europe/London", reminder_time=dt.time(21, 0))
    request_user = get_user_model().objects.get(pk=patient.pk)
    assert request_user.profile.reminder_sent_on is None  # as the request read it
    assert reminded(at(10, 21, 0))
    with time_machine.travel(at(10, 21, 5), tick=False):
        services.change_settings(patient=request_user, emergency_number="112")
    assert not reminded(at(10, 21, 10))
    assert len(mail.outbox) == 1
    assert reminded(at(11, 21, 0))
