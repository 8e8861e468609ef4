"""Flags open in the saving transaction (DESIGN §5): every page after the warning screen shows them, with no
review and no Redis; the review then finds the same flags; a delete or a correction withdraws them at once."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.core import mail

from diary.facts import facts_from_episode
from diary.interchange import import_diary
from tests.conftest import VIGNETTES, load_vignette, log, make_patient, vignette_id
from tests.diary.test_log_episode import form_data
from triage import at_save
from triage.models import Flag
from triage.review import review_patient
from triage.services import acknowledge
from triage.signs import CATALOGUE

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)  # Europe/London: local date 1 March


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def hours_ago(n: float) -> dt.datetime:
    return NOW - dt.timedelta(hours=n)


def live(patient) -> list[tuple[str, str, list[str]]]:
    return sorted((f.code, f.status, f.evidence) for f in patient.flags.exclude(status="resolved"))


def test_a_save_opens_the_flag_before_any_review(frozen, web, patient):
    response = web.post("/log/", form_data(alarm_symptoms=["bladder_bowel_control"]))
    episode = patient.episodes.get()
    assert response["Location"].startswith(f"/alert/{episode.id}/")  # no review has run: none was committed
    flag = patient.flags.get()
    assert (flag.code, flag.status, flag.evidence) == ("emergency.spinal_cord", "open", [str(episode.id)])
    assert flag.first_seen == flag.last_seen == dt.date(2026, 3, 1) and flag.notified_at is None
    assert flag.detail["matched"] == "Can't control bladder or bowel"

    alert = web.get(response["Location"]).content.decode()
    assert f'href="/flags/#flag-{flag.id}"' in alert  # "Read the warning sign", there already
    today = web.get("/").content.decode()
    assert 'class="flag-banner level-emergency"' in today and "nothing open" not in today
    assert "Possible pressure on the nerves in your back" in web.get("/flags/").content.decode()


def test_an_ordinary_save_costs_the_flags_no_query(frozen, patient, django_assert_num_queries):
    quiet = log(patient, started_at=hours_ago(1))
    facts = facts_from_episode(quiet, patient.profile.zone)
    with django_assert_num_queries(0):
        assert at_save.reconcile_saved(patient, facts, None, NOW) == []
    assert not Flag.objects.exists()


def test_a_second_matching_episode_joins_the_open_flag(frozen, patient):
    first = log(patient, started_at=hours_ago(30), symptoms=["leg_swollen"])
    second = log(patient, started_at=hours_ago(2), symptoms=["leg_swollen"])
    [flag] = Flag.objects.all()
    assert flag.code == "urgent.swollen_leg" and flag.evidence == [str(first.id), str(second.id)]
    assert flag.detail["episodes"] == 2


def test_an_acknowledged_flag_opens_again_when_a_new_episode_matches(frozen, patient):
    log(patient, started_at=hours_ago(30), triggers=["injury"])
    acknowledge(patient.flags.get())
    log(patient, started_at=hours_ago(1), triggers=["injury"])
    flag = patient.flags.get()
    assert flag.status == "open" and flag.acknowledged_at is None and len(flag.evidence) == 2


def test_an_entry_older_than_the_review_window_opens_nothing_as_the_review_would_not(frozen, patient):
    old = log(patient, started_at=NOW - dt.timedelta(days=14), symptoms=["speech_difficulty"])  # 15 Feb: not in R
    assert not Flag.objects.exists()
    assert review_patient(patient.pk).findings == []
    # One day later it would have been inside R: the edge is the review's.
    recent = log(patient, started_at=NOW - dt.timedelta(days=13), symptoms=["speech_difficulty"])
    assert live(patient) == [("emergency.stroke_signs", "open", [str(recent.id)])]
    assert str(old.id) not in patient.flags.get().evidence


def test_nothing_opens_as_of_a_date_before_the_patients_last_review(frozen, patient):
    from triage.models import PatientReview

    PatientReview.objects.create(patient=patient, reviewed_at=NOW, as_of=dt.date(2026, 3, 2))  # a zone moved on
    log(patient, started_at=hours_ago(1), symptoms=["fainting"])
    assert not Flag.objects.exists()


def test_a_review_right_after_the_save_finds_the_same_flags_unchanged_and_tells_them_once(
    frozen, patient, django_capture_on_commit_callbacks
):
    log(patient, started_at=hours_ago(3), symptoms=["speech_difficulty"], triggers=["injury"])
    opened = {f.code: (f.evidence, f.detail) for f in patient.flags.all()}
    assert sorted(opened) == ["emergency.stroke_signs", "urgent.injury"]
    assert mail.outbox == []  # a save never waits on a mail server: the review tells

    with django_capture_on_commit_callbacks(execute=True):
        result = review_patient(patient.pk)
    assert {c.code: c.action for c in result.changes} == dict.fromkeys(opened, "unchanged")
    assert {f.code: (f.evidence, f.detail) for f in patient.flags.all()} == opened
    # What each is about is in the body; the subject, which a lock screen shows, says only how soon to read it.
    assert sorted((m.subject, m.body.split("\n\n")[2]) for m in mail.outbox) == [
        ("Numbness Diary: Please read this now",
         "Your Numbness Diary noticed something in what you logged: Possible signs of a stroke (Emergency)."),
        ("Numbness Diary: Please read this today",
         "Your Numbness Diary noticed something in what you logged: Numbness after an injury (See a doctor today)."),
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        review_patient(patient.pk)  # told once: a second review sends nothing
    assert len(mail.outbox) == 2


def test_a_flag_read_before_the_review_ran_is_not_sent(frozen, patient, django_capture_on_commit_callbacks):
    log(patient, started_at=hours_ago(3), symptoms=["leg_swollen"])
    acknowledge(patient.flags.get())  # read on the warning screen's link, before any review
    with django_capture_on_commit_callbacks(execute=True):
        review_patient(patient.pk)
    assert mail.outbox == [] and patient.flags.get().status == "acknowledged"


def test_removing_the_only_entry_withdraws_the_flag_at_once(frozen, web, patient):
    episode = log(patient, started_at=hours_ago(1), symptoms=["saddle_numbness"])
    response = web.post(f"/alert/{episode.id}/remove/", follow=True)
    page = response.content.decode()
    assert "Removed: that entry is no longer in your diary. The warning it raised is withdrawn." in page
    assert "nothing open" in page  # Today, at once, with no review
    flag = patient.flags.get()
    assert (flag.status, flag.resolution, flag.evidence) == ("resolved", "withdrawn", [])
    assert not patient.episodes.exists()


def test_an_entry_removed_from_its_warning_screen_can_be_brought_back_with_its_warning(frozen, web, patient):
    """One box ticked by mistake is no reason to lose the rest of the entry for good: the removal offers the same
    Undo as a delete, and the entry comes back whole, its warning screen with it."""
    episode = log(patient, started_at=hours_ago(1), severity=6, symptoms=["saddle_numbness"])
    page = web.post(f"/alert/{episode.id}/remove/", follow=True).content.decode()
    assert "Episode deleted." in page and 'action="/episodes/restore/"' in page
    restored = web.post("/episodes/restore/", {"next": "/"})
    assert restored["Location"] == f"/alert/{episode.id}/?sign=emergency.spinal_cord"  # its warning screen again
    back = patient.episodes.get()
    assert (back.id, back.severity, back.symptoms) == (episode.id, 6, ["saddle_numbness"])
    assert [f.code for f in patient.flags.filter(status="open")] == ["emergency.spinal_cord"]


def test_removing_one_of_two_entries_keeps_the_flag_for_the_other(frozen, web, patient):
    kept = log(patient, started_at=hours_ago(20), symptoms=["fainting"])
    mistake = log(patient, started_at=hours_ago(1), symptoms=["fainting"])
    page = web.post(f"/alert/{mistake.id}/remove/", follow=True).content.decode()
    assert "Removed: that entry is no longer in your diary." in page and "withdrawn" not in page
    flag = patient.flags.get()
    assert flag.status == "open" and str(kept.id) in flag.evidence  # the review recounts it
    assert review_patient(patient.pk).flags[0].evidence == [str(kept.id)]


def test_removal_through_the_api_and_the_delete_page_withdraws_too(frozen, api, web, patient):
    first = log(patient, started_at=hours_ago(2), symptoms=["chest_pain"])
    assert api.delete(f"/api/v1/episodes/{first.id}/").status_code == 204
    assert patient.flags.get().resolution == "withdrawn"
    second = log(patient, started_at=hours_ago(1), triggers=["injury"])
    web.post(f"/episodes/{second.id}/delete/")
    assert [f.resolution for f in patient.flags.order_by("id")] == ["withdrawn", "withdrawn"]


def test_an_edit_that_takes_the_sign_away_withdraws_its_flag_at_once(frozen, web, patient):
    data = form_data(alarm_symptoms=["vision_problems"])
    web.post("/log/", data)
    episode = patient.episodes.get()
    corrected = data | {"alarm_symptoms": [], "alarm_none": "on"}
    assert web.post(f"/episodes/{episode.id}/edit/", corrected)["Location"] == "/"
    flag = patient.flags.get()
    assert (flag.status, flag.resolution) == ("resolved", "withdrawn")
    assert "nothing open" in web.get("/").content.decode()


def test_another_patients_entry_cannot_be_removed_from_a_warning_screen(frozen, client, patient, other_patient):
    episode = log(other_patient, started_at=hours_ago(1), symptoms=["paralysis"])
    client.force_login(patient)
    assert client.post(f"/alert/{episode.id}/remove/").status_code == 404
    assert client.get(f"/alert/{episode.id}/remove/").status_code in (404, 405)
    assert other_patient.episodes.filter(id=episode.id).exists()
    assert other_patient.flags.get().status == "open"


@pytest.mark.parametrize("path", VIGNETTES, ids=vignette_id)
def test_every_case_opens_its_instant_flags_at_save_and_the_review_finds_the_same(db, path):
    """Only the moment a flag opens changes: each story saved on its review date opens its instant signs at
    once; the review, run right after, raises exactly the expected flags and leaves those as they were."""
    vignette = load_vignette(path)
    as_of = dt.date.fromisoformat(vignette["as_of"])
    zone = zoneinfo.ZoneInfo(vignette["diary"]["profile"]["timezone"])
    end_of_day = dt.datetime.combine(as_of, dt.time(23, 59), tzinfo=zone)
    with time_machine.travel(end_of_day, tick=False):
        patient = make_patient(f"v{uuid.uuid4().hex[:8]}")
        import_diary(patient=patient, document=vignette["diary"])
        at_save = {f.code: (f.evidence, f.detail) for f in patient.flags.filter(status="open")}
        expected = set(vignette["expect"]["flags"])
        assert set(at_save) == {code for code in expected if CATALOGUE[code].per_episode}
        result = review_patient(patient.pk)
    assert result.as_of == as_of
    assert sorted(f.code for f in result.flags if f.status == "open") == sorted(expected)
    assert {c.code: c.action for c in result.changes if c.code in at_save} == dict.fromkeys(at_save, "unchanged")
    assert {f.code: (f.evidence, f.detail) for f in patient.flags.filter(code__in=at_save)} == at_save


def test_two_alarming_saves_at_once_leave_one_flag_with_both_episodes(transactional_db):
    """The saves lock the patient's row as a review does: the second sees the first's flag and joins it."""
    import threading

    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    patient = make_patient("twice")
    started = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    saved: list[str] = []

    def save_one() -> None:
        saved.append(str(log(patient, started_at=started, symptoms=["leg_swollen"]).id))
        connection.close()

    with transaction.atomic():
        type(patient).objects.select_for_update().get(pk=patient.pk)  # a review holds the row
        savers = [threading.Thread(target=save_one) for _ in range(2)]
        for saver in savers:
            saver.start()
        for saver in savers:
            saver.join(timeout=0.5)
        assert all(saver.is_alive() for saver in savers)  # both wait for it
    for saver in savers:
        saver.join(timeout=20)
    [flag] = Flag.objects.filter(patient=patient)
    assert flag.status == "open" and sorted(flag.evidence) == sorted(saved)
