"""Web Push against a push service the test plays: signed by VAPID, encrypted for the browser, gone means deleted."""

import datetime as dt
import time

import time_machine
from django.core import mail

from diary.reminders import nudge_still_going, send_due_reminders
from pwa import push
from pwa.models import PushSubscription
from tests.conftest import log, make_patient
from tests.pwa.pushservice import verify_vapid
from triage.models import Flag
from triage.review import review_patient

TOKYO_EVENING = dt.datetime(2026, 6, 10, 11, 5, tzinfo=dt.UTC)  # 20:05 in Tokyo


def test_a_push_is_signed_with_the_vapid_key_and_decrypts_to_the_text(db, push_service, device, vapid_keys):
    patient = make_patient("ana")
    browser = device(patient)
    assert push.notify(patient.pk, push.diary_reminder("/")) == 1

    [request] = push_service.received
    assert request.path == "/push/phone"
    claims = verify_vapid(request.headers["authorization"], vapid_keys.public)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == "mailto:care@example.org"
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert request.headers["content-encoding"] == "aes128gcm"
    assert int(request.headers["ttl"]) > 0
    assert browser.decrypt(request.body) == {
        "title": "Numbness Diary",
        "body": "Time for your diary entry",
        "url": "/",
        "tag": "reminder",
    }
    assert PushSubscription.objects.get().last_sent_at is not None


def test_a_subscription_the_push_service_reports_gone_is_deleted(db, push_service, device):
    patient = make_patient("ben")
    device(patient, "old-phone")
    device(patient, "new-phone")
    push_service.status = 410
    assert push.notify(patient.pk, push.diary_reminder("/")) == 0
    assert not PushSubscription.objects.exists()

    device(patient, "404-phone")
    push_service.status = 404
    push.notify(patient.pk, push.diary_reminder("/"))
    assert not PushSubscription.objects.exists()


def test_a_failing_push_service_keeps_the_subscription(db, push_service, device):
    patient = make_patient("cy")
    device(patient)
    push_service.status = 500
    assert push.notify(patient.pk, push.diary_reminder("/")) == 0
    assert PushSubscription.objects.count() == 1


def test_the_daily_reminder_goes_by_push_to_a_subscribed_patient_and_by_email_to_others(db, push_service, device):
    with_phone = make_patient("aiko", tz="Asia/Tokyo", reminder_time=dt.time(20, 0))
    make_patient("emi", tz="Asia/Tokyo", reminder_time=dt.time(20, 0))
    browser = device(with_phone)
    with time_machine.travel(TOKYO_EVENING, tick=False):
        assert send_due_reminders() == 2
        assert send_due_reminders() == 0
    assert [m.to for m in mail.outbox] == [["emi@example.org"]]
    [request] = push_service.received
    assert browser.decrypt(request.body)["body"] == "Time for your diary entry"


def test_the_reminder_falls_back_to_email_when_the_only_device_is_gone(db, push_service, device):
    patient = make_patient("kai", tz="Asia/Tokyo", reminder_time=dt.time(20, 0))
    device(patient)
    push_service.status = 410
    with time_machine.travel(TOKYO_EVENING, tick=False):
        assert send_due_reminders() == 1
    assert [m.to for m in mail.outbox] == [["kai@example.org"]]
    assert not PushSubscription.objects.exists()


def test_no_reminder_by_push_after_the_patient_logged_that_day(db, push_service, device):
    from diary import services

    patient = make_patient("ken", tz="Asia/Tokyo", reminder_time=dt.time(20, 0))
    device(patient)
    with time_machine.travel(TOKYO_EVENING, tick=False):
        services.save_checkin(
            patient=patient, date=dt.date(2026, 6, 10), numbness_today=False, today=dt.date(2026, 6, 10)
        )
        assert send_due_reminders() == 0
    assert push_service.received == [] and mail.outbox == []


def test_a_new_warning_sign_goes_by_push_without_health_details(
    db, push_service, device, django_capture_on_commit_callbacks
):
    patient = make_patient("lou")
    browser = device(patient)
    now = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False), django_capture_on_commit_callbacks(execute=True):
        # Both legs at once, with weakness: an emergency sign.
        log(
            patient,
            started_at=now - dt.timedelta(hours=1),
            locations=[("left", "calf"), ("right", "calf")],
            symptoms=["leg_weakness"],
        )
        review_patient(patient.pk, now.date())
    assert Flag.objects.filter(patient=patient).exists()
    assert mail.outbox == []
    messages = [browser.decrypt(r.body) for r in push_service.received]
    assert messages and all(m["body"] == "There is something in your diary to read" for m in messages)
    flag = Flag.objects.get(patient=patient)
    assert [m["url"] for m in messages] == [f"/flags/#flag-{flag.id}"]  # told once, opening the flag itself


def test_an_episode_still_going_after_12_hours_gets_one_nudge(db, push_service, device):
    patient = make_patient("max")
    browser = device(patient)
    now = dt.datetime(2026, 3, 10, 21, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        going = log(patient, started_at=now - dt.timedelta(hours=13), duration_minutes=None)
        log(patient, started_at=now - dt.timedelta(hours=11), duration_minutes=None)  # not yet 12 hours
        log(patient, started_at=now - dt.timedelta(hours=14), duration_minutes=30)  # ended
        assert nudge_still_going() == 1
        assert nudge_still_going() == 0
    [request] = push_service.received
    assert browser.decrypt(request.body) == {
        "title": "Numbness Diary",
        "body": "An entry in your diary is waiting for its end time",
        "url": f"/episodes/{going.pk}/edit/",
        "tag": "still-going",
    }
    with time_machine.travel(now + dt.timedelta(hours=2), tick=False):
        assert nudge_still_going() == 1  # the second episode has now passed 12 hours: its own one nudge


def test_the_still_going_nudge_by_email_only_for_patients_who_asked_for_reminders(db):
    asked = make_patient("nia", reminder_time=dt.time(20, 0))
    make_patient("olu")
    now = dt.datetime(2026, 3, 10, 21, 0, tzinfo=dt.UTC)
    with time_machine.travel(now, tick=False):
        from django.contrib.auth import get_user_model

        for patient in get_user_model().objects.all():
            log(patient, started_at=now - dt.timedelta(hours=13), duration_minutes=None)
        log(asked, started_at=now - dt.timedelta(days=5), duration_minutes=None)  # too old to nudge about
        assert nudge_still_going() == 1
    assert [m.to for m in mail.outbox] == [["nia@example.org"]]
    assert "still marked as going" in mail.outbox[0].body


def test_a_reminder_needs_no_email_when_this_phone_has_notifications_on(web, patient):
    PushSubscription.objects.create(
        patient=patient, endpoint="https://push.example.org/send/abc", p256dh="key", auth="secret"
    )
    form = {"timezone": "Europe/London", "emergency_number": "999", "email": "", "reminder_time": "20:00"}
    assert web.post("/settings/", form).status_code == 302
    patient.refresh_from_db()
    assert patient.email == "" and patient.profile.reminder_time == dt.time(20, 0)
