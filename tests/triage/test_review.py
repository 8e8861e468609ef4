"""The review's flag lifecycle: open, update, resolve, acknowledge, reopen; idempotent; time zones."""

import datetime as dt
import io
import json

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError

from tests.conftest import log, make_patient
from triage.models import Flag, PatientReview
from triage.review import patients_due, review_patient, review_patients

AS_OF = dt.date(2026, 3, 1)
NOON = dt.time(12, 0)


def at(patient, day: dt.date, time: dt.time = NOON, **fields):
    """Log an episode at a local date and time of the patient."""
    local = dt.datetime.combine(day, time, tzinfo=patient.profile.zone)
    return log(patient, started_at=local, **fields)


def flags(patient, status="open") -> list[str]:
    return sorted(patient.flags.filter(status=status).values_list("code", flat=True))


def days_before(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def test_a_pattern_opens_updates_and_resolves(patient):
    for n in (0, 2, 4, 6, 8):
        at(patient, days_before(n))
    first = review_patient(patient.pk, AS_OF)
    assert [c.action for c in first.changes] == ["opened"]
    flag = patient.flags.get()
    assert (flag.code, flag.status, flag.first_seen, flag.detail["days"]) == ("pattern.persistent", "open", AS_OF, 5)

    at(patient, days_before(1))
    later = review_patient(patient.pk, AS_OF + dt.timedelta(days=1))
    flag.refresh_from_db()
    assert [c.action for c in later.changes] == ["updated"]
    assert (flag.first_seen, flag.last_seen, flag.detail["days"], len(flag.evidence)) == (
        AS_OF,
        AS_OF + dt.timedelta(days=1),
        6,
        6,
    )

    gone = review_patient(patient.pk, AS_OF + dt.timedelta(days=20))  # the episodes left the window
    flag.refresh_from_db()
    assert [c.action for c in gone.changes] == ["resolved"]
    assert flag.status == "resolved" and flag.resolved_at is not None


def test_reviewing_twice_changes_nothing(patient):
    for n in (0, 2, 4, 6, 8):
        at(patient, days_before(n), symptoms=["leg_weakness"])
    review_patient(patient.pk, AS_OF)
    before = list(Flag.objects.values())
    again = review_patient(patient.pk, AS_OF)
    assert {c.action for c in again.changes} == {"unchanged"}
    assert list(Flag.objects.values()) == before


def test_emergency_stays_open_until_read_then_resolves_when_gone(patient):
    at(patient, days_before(2), symptoms=["facial_droop"])
    review_patient(patient.pk, AS_OF)
    three_weeks_on = AS_OF + dt.timedelta(days=21)
    review_patient(patient.pk, three_weeks_on)
    assert flags(patient) == ["emergency.stroke_signs"]  # still open: the patient has not read it

    call_command("review", "--user", "alice", "--as-of", str(three_weeks_on), stdout=io.StringIO())
    flag = patient.flags.get()
    from triage.services import acknowledge

    assert acknowledge(flag) and not acknowledge(flag)  # a second tap changes nothing
    review_patient(patient.pk, three_weeks_on)
    assert flags(patient, "resolved") == ["emergency.stroke_signs"]


def test_acknowledged_emergency_reopens_on_a_new_matching_episode(patient):
    at(patient, days_before(5), symptoms=["fainting"])
    review_patient(patient.pk, AS_OF)
    from triage.services import acknowledge

    acknowledge(patient.flags.get())
    review_patient(patient.pk, AS_OF)
    assert flags(patient, "acknowledged") == ["emergency.breathing_or_fainting"]

    at(patient, days_before(1), symptoms=["shortness_of_breath"])
    result = review_patient(patient.pk, AS_OF)
    assert [c.action for c in result.changes] == ["reopened"]
    flag = patient.flags.get()
    assert flag.status == "open" and len(flag.evidence) == 2


def test_acknowledged_pattern_stays_acknowledged_while_it_holds(patient):
    for n in (0, 2, 4, 6, 8):
        at(patient, days_before(n))
    review_patient(patient.pk, AS_OF)
    from triage.services import acknowledge

    acknowledge(patient.flags.get())
    at(patient, days_before(3))
    review_patient(patient.pk, AS_OF)
    assert flags(patient, "acknowledged") == ["pattern.persistent"]


def test_the_database_allows_one_live_flag_per_patient_and_code(patient):
    fields = {"patient": patient, "code": "pattern.persistent", "level": "see_doctor", "first_seen": AS_OF}
    Flag.objects.create(status="open", last_seen=AS_OF, **fields)
    Flag.objects.create(status="resolved", last_seen=AS_OF, **fields)  # history is fine
    with pytest.raises(IntegrityError):
        Flag.objects.create(status="acknowledged", last_seen=AS_OF, **fields)


def test_dry_run_computes_but_writes_nothing(patient):
    at(patient, days_before(1), triggers=["injury"])
    out = io.StringIO()
    call_command("review", "--user", "alice", "--as-of", str(AS_OF), "--dry-run", "--json", stdout=out)
    printed = json.loads(out.getvalue())["flags"]
    assert [(f["code"], f["status"], f["level"]) for f in printed] == [("urgent.injury", "open", "urgent")]
    assert [(s["id"], s["publisher"], s["background"]) for s in printed[0]["sources"]] == [
        ("harvard-numbness", "Harvard Health Publishing", False),
        ("000", "", True),  # a seed article whose copy names no publisher: background reading
        ("002", "", True),
    ]
    assert not Flag.objects.exists() and not PatientReview.objects.exists()


def test_window_edges_follow_a_tokyo_patients_dates(db):
    tokyo = make_patient("kenji", tz="Asia/Tokyo")
    # 15:30 UTC on 15 Feb is 00:30 on 16 Feb in Tokyo: the first day of R as of 1 March.
    log(tokyo, started_at=dt.datetime(2026, 2, 15, 15, 30, tzinfo=dt.UTC), symptoms=["paralysis"])
    assert [f.code for f in review_patient(tokyo.pk, AS_OF).flags] == ["emergency.stroke_signs"]

    tokyo_late = make_patient("yui", tz="Asia/Tokyo")
    # 14:30 UTC on 15 Feb is 23:30 on 15 Feb in Tokyo: one day too early.
    log(tokyo_late, started_at=dt.datetime(2026, 2, 15, 14, 30, tzinfo=dt.UTC), symptoms=["paralysis"])
    assert review_patient(tokyo_late.pk, AS_OF).flags == []


def test_night_and_window_edges_follow_a_chicago_patients_clock(db):
    chicago = make_patient("ann", tz="America/Chicago")
    # 04:00 UTC is 22:00 the evening before in Chicago: night, and still inside R on the last day.
    for day in (dt.date(2026, 2, 25), dt.date(2026, 2, 28), dt.date(2026, 3, 2)):
        log(chicago, started_at=dt.datetime.combine(day, dt.time(4, 0), tzinfo=dt.UTC), symptoms=["cramps"])
    result = review_patient(chicago.pk, AS_OF)
    assert [f.code for f in result.flags] == ["pattern.nocturnal"]
    assert result.flags[0].detail["episodes"] == 3


def test_one_email_when_a_flag_opens_not_one_per_review(patient, django_capture_on_commit_callbacks):
    at(patient, days_before(1), symptoms=["leg_swollen"])
    with django_capture_on_commit_callbacks(execute=True):
        review_patient(patient.pk, AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        review_patient(patient.pk, AS_OF)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    # A mail app shows the subject on a lock screen: how soon to read it, not what it is about.
    assert message.subject == "Numbness Diary: Please read this today"
    assert "Swollen leg" in message.body
    assert "1 episode with: Leg swollen (started 28 Feb 2026)." in message.body
    assert "not a diagnosis" in message.body
    assert message.body.index("See a doctor today.") < message.body.index("Why:")  # action first
    assert "- Deep vein thrombosis (DVT) (NHS): https://www.nhs.uk/conditions/deep-vein-thrombosis-dvt/" in message.body


def test_a_pattern_flags_email_says_on_its_subject_only_that_there_is_something_to_read(
    patient, django_capture_on_commit_callbacks
):
    for n in (0, 2, 4, 6, 8):
        at(patient, days_before(n))
    with django_capture_on_commit_callbacks(execute=True):
        review_patient(patient.pk, AS_OF)
    [message] = mail.outbox
    assert patient.flags.get().level == "see_doctor"
    assert message.subject == "Numbness Diary: There is something in your diary to read"
    assert message.body.split("\n\n")[1] == (  # what a mail app previews: how soon, and where, not what
        "There is something in your diary to read. It is about something you logged; it follows here, and is on the "
        f"Flags page too: {settings.SITE_URL}/flags/"
    )
    assert "Numbness that keeps coming back or lasts (Talk to your doctor)" in message.body


def test_nightly_candidates_are_patients_with_activity_or_live_flags(db):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        active = make_patient("active")
        log(active, started_at=dt.datetime(2026, 2, 27, 9, tzinfo=dt.UTC))
        quiet = make_patient("quiet")
        log(quiet, started_at=dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC))
        review_patient(quiet.pk)
        flagged = make_patient("flagged")
        Flag.objects.create(
            patient=flagged, code="urgent.injury", level="urgent", first_seen=AS_OF, last_seen=AS_OF, status="open"
        )
        review_patient(flagged.pk)
        make_patient("never_logged")
        assert patients_due() == sorted([active.pk, flagged.pk])


def test_nightly_task_fans_out_one_review_per_due_patient(db):
    from triage.tasks import review_due_patients

    first, second = make_patient("first"), make_patient("second")
    for patient in (first, second):
        for n in (1, 2):
            log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=n), symptoms=["leg_weakness"])
    make_patient("idle")
    assert review_due_patients() == 2  # tasks run in-process in tests
    assert sorted(Flag.objects.values_list("patient__username", "code")) == [
        ("first", "urgent.weakness"),
        ("second", "urgent.weakness"),
    ]


def test_an_import_of_many_episodes_asks_for_one_review(patient, django_capture_on_commit_callbacks):
    from diary.interchange import import_diary
    from tests.conftest import episode_json
    from triage.tasks import request_review

    episodes = [
        episode_json(id=f"00000000-0000-4000-8000-{n:012d}", started_at=f"2026-01-{n + 1:02d}T08:00:00Z")
        for n in range(20)
    ]
    with django_capture_on_commit_callbacks() as callbacks:
        import_diary(patient=patient, document={"format": "numbness-diary/1", "episodes": episodes})
    reviews = [c for c in callbacks if getattr(c, "func", None) is request_review]
    assert [c.args for c in reviews] == [(patient.pk,)]


def test_a_review_run_at_once_remembers_nothing_for_the_next_save(patient):
    """A task run at once (the tests' eager mode) ignores its countdown: the process may not assume that the review
    it asked for is still to come, so each request goes to the cache (and here runs a review)."""
    from triage import tasks

    assert tasks.request_review(patient.pk) and tasks.request_review(patient.pk)
    assert tasks._QUEUED_HERE == {}
    assert PatientReview.objects.filter(patient=patient).exists()


def test_the_nightly_selection_is_one_query_whatever_the_number_of_patients(db, django_assert_num_queries):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        due = []
        for n in range(6):
            patient = make_patient(f"p{n}")
            log(patient, started_at=dt.datetime(2026, 2, 20 + n, 9, tzinfo=dt.UTC))
            due.append(patient.pk)
        with django_assert_num_queries(1):
            assert patients_due() == due


def test_an_old_episode_edited_after_the_review_makes_the_patient_due(db):
    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        patient = make_patient()
        episode = log(patient, started_at=dt.datetime(2025, 6, 1, 9, tzinfo=dt.UTC))
        review_patient(patient.pk)
        assert patients_due() == []
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        episode.notes = "it was the left foot"
        episode.save()
        assert patients_due() == [patient.pk]
        review_patient(patient.pk)
        assert patients_due() == []


def _diary_of_alarms(patient, zone_days: int = 0) -> None:
    """Weakness on two days and five days of numbness: an urgent flag and a pattern for the review."""
    for n in (0, 2, 4, 6, 8):
        at(patient, days_before(n + zone_days), symptoms=["leg_weakness"] if n < 4 else [])


def test_a_batch_reviews_each_patient_as_a_review_of_one_would(db):
    from triage.review import review_patients

    alone: list[User] = []
    together: list[User] = []
    for group, prefix in ((alone, "alone"), (together, "together")):
        for i, zone in enumerate(["Europe/London", "Pacific/Auckland", "America/Los_Angeles"]):
            patient = make_patient(f"{prefix}{i}", tz=zone)
            _diary_of_alarms(patient, zone_days=i)
            group.append(patient)
    # One already reviewed later than the batch's date: its review is backdated and changes nothing.
    later = AS_OF + dt.timedelta(days=1)
    PatientReview.objects.create(patient=together[2], reviewed_at=dt.datetime.now(dt.UTC), as_of=later)
    PatientReview.objects.create(patient=alone[2], reviewed_at=dt.datetime.now(dt.UTC), as_of=later)
    singles = [review_patient(p.pk, AS_OF) for p in alone]
    batch = review_patients([p.pk for p in reversed(together)], AS_OF)

    def outcome(result):
        return (result.as_of, result.backdated, [(c.code, c.action) for c in result.changes], result.findings)

    assert [r.patient_id for r in batch] == sorted(p.pk for p in together)  # in id order, as locked
    assert [outcome(r)[:3] for r in batch] == [outcome(r)[:3] for r in singles]
    assert [[(f.code, f.detail) for f in r.findings] for r in batch] == [
        [(f.code, f.detail) for f in r.findings] for r in singles
    ]
    assert [flags(p) for p in together] == [flags(p) for p in alone]
    assert flags(together[0]) == ["pattern.persistent", "urgent.weakness"]
    assert flags(together[2]) == []  # backdated: nothing written
    assert PatientReview.objects.get(patient=together[0]).as_of == AS_OF
    assert PatientReview.objects.get(patient=together[2]).as_of == later


def test_a_batch_reads_in_the_same_number_of_queries_for_one_patient_or_many(db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from triage.review import review_patients

    patients = [make_patient(f"p{i}") for i in range(8)]
    for patient in patients:
        for n in range(0, 30, 3):
            at(patient, days_before(n))
    for ids in ([patients[0].pk], [p.pk for p in patients[1:]]):
        review_patients(ids, AS_OF)  # first review opens flags: writes differ
    counts = []
    for ids in ([patients[0].pk], [p.pk for p in patients[1:]]):
        with CaptureQueriesContext(connection) as queries:
            review_patients(ids, AS_OF)  # nothing changed: reads and the review marks only
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_nightly_review_sends_patients_in_batches(db, monkeypatch):
    from triage import tasks

    patients = [make_patient(f"n{i}") for i in range(5)]
    for patient in patients:
        log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1), symptoms=["leg_weakness"])
    sent: list[list[int]] = []
    monkeypatch.setattr(tasks, "NIGHTLY_BATCH", 2)
    monkeypatch.setattr(tasks.review_patients_task, "delay", lambda ids: sent.append(ids))
    assert tasks.review_due_patients() == 5
    assert sent == [[p.pk for p in patients[:2]], [p.pk for p in patients[2:4]], [patients[4].pk]]


def test_a_batch_that_fails_is_reviewed_one_patient_at_a_time(db, monkeypatch):
    from triage import detectors, tasks

    good, odd = make_patient("good"), make_patient("odd")
    for patient in (good, odd):  # a pattern, which only a review finds (a save opens instant signs only)
        for n in range(1, 6):
            log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=n))
    real_review = detectors.review

    def fails_for_odd(episodes, *args, **kwargs):
        if any(e.id in {str(i) for i in odd.episodes.values_list("id", flat=True)} for e in episodes):
            raise ValueError("an odd diary")
        return real_review(episodes, *args, **kwargs)

    monkeypatch.setattr(detectors, "review", fails_for_odd)
    with pytest.raises(ValueError, match="an odd diary"):
        tasks.review_patients_task.apply(args=([good.pk, odd.pk],), throw=True)  # the one that fails, alone
    assert flags(good) == ["pattern.persistent"]  # reviewed on its own after the batch failed
    assert flags(odd) == []


def test_a_message_that_could_not_be_sent_is_sent_by_the_next_review(
    db, django_capture_on_commit_callbacks, monkeypatch
):
    """One patient's failing message does not silence the others, and is tried again."""
    from django.core.mail import send_mail as real_send

    from diary import hooks

    first, second = make_patient("first"), make_patient("second")
    for patient in (first, second):
        at(patient, days_before(1), symptoms=["leg_swollen"])

    def refuse_first(subject, body, sender, to, **kwargs):
        if to == [first.email]:
            raise ConnectionRefusedError("mail server down")
        return real_send(subject, body, sender, to, **kwargs)

    monkeypatch.setattr(hooks, "send_mail", refuse_first)
    with django_capture_on_commit_callbacks(execute=True):
        review_patients([first.pk, second.pk], AS_OF)
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert first.flags.get().notified_at is None and second.flags.get().notified_at is not None

    monkeypatch.setattr(hooks, "send_mail", real_send)
    with django_capture_on_commit_callbacks(execute=True):
        review_patients([first.pk, second.pk], AS_OF)  # nothing changed in the diaries
    assert [m.to for m in mail.outbox] == [[second.email], [first.email]]


def test_a_review_that_waited_for_the_lock_sees_the_date_of_the_one_it_waited_for(transactional_db):
    """Reviews of one patient queue on the patient's row; the review dates are read after the lock."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    patient = make_patient("queued")
    for n in (0, 2, 4, 6, 8):
        at(patient, days_before(n))
    PatientReview.objects.filter(patient=patient).delete()  # the saves' own reviews (as of the real today)
    review_patient(patient.pk, AS_OF)
    assert flags(patient) == ["pattern.persistent"]
    PatientReview.objects.filter(patient=patient).delete()  # as if never reviewed, until the holder's commit
    results = {}

    def backdated_review():
        results["late"] = review_patient(patient.pk, days_before(20))
        connection.close()

    with transaction.atomic():
        type(patient).objects.select_for_update().get(pk=patient.pk)  # another review holds the row
        waiting = threading.Thread(target=backdated_review)
        waiting.start()
        waiting.join(timeout=0.5)
        assert waiting.is_alive()  # it waits for the lock
        PatientReview.objects.create(
            patient=patient, reviewed_at=dt.datetime.now(dt.UTC), as_of=AS_OF + dt.timedelta(days=1)
        )
    waiting.join(timeout=10)
    assert results["late"].backdated
    assert flags(patient) == ["pattern.persistent"]  # not resolved by a review dated weeks earlier
    assert PatientReview.objects.get(patient=patient).as_of == AS_OF + dt.timedelta(days=1)


def test_a_batch_whose_database_errors_persist_is_reviewed_one_by_one(db, monkeypatch):
    from celery.exceptions import Retry
    from django.db import OperationalError

    from triage import review, tasks

    patients = [make_patient(f"db{i}") for i in range(2)]
    for patient in patients:
        log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1), symptoms=["leg_weakness"])
    real = review.review_patients

    def times_out_in_a_batch(ids, *args, **kwargs):
        if len(ids) > 1:
            raise OperationalError("canceling statement due to statement timeout")
        return real(ids, *args, **kwargs)

    monkeypatch.setattr(review, "review_patients", times_out_in_a_batch)
    Flag.objects.all().delete()
    ids = [p.pk for p in patients]
    with pytest.raises(Retry):  # a database error is retried as a batch first
        tasks.review_patients_task.apply(args=(ids,), retries=0)
    assert not Flag.objects.exists()
    assert tasks.review_patients_task.apply(args=(ids,), retries=tasks.SPLIT_AFTER_RETRIES).get() == 0
    assert sorted(Flag.objects.values_list("patient__username", flat=True)) == ["db0", "db1"]


def test_a_batch_reads_each_patients_own_window(db):
    """One range query serves the batch; each patient keeps only the episodes of their own local dates."""
    from diary.facts import Span, load_facts_of_many

    wide, narrow = make_patient("wide"), make_patient("narrow", tz="Pacific/Auckland")
    for patient in (wide, narrow):
        for n in (0, 5, 30):
            at(patient, days_before(n))
    found = load_facts_of_many(
        {
            wide.pk: Span(wide.profile.zone, days_before(40), AS_OF),
            narrow.pk: Span(narrow.profile.zone, days_before(7), days_before(1)),
        }
    )
    assert [e.day for e in found[wide.pk]] == [days_before(30), days_before(5), AS_OF]
    assert [e.day for e in found[narrow.pk]] == [days_before(5)]
