"""The daily reminder email: at the patient's local time, once a day, not after they logged."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
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
