"""Corrections (DESIGN §5): deleted or edited-away evidence withdraws a flag; backdated reviews change nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail

from diary import services
from diary.models import Episode
from report import content
from tests.conftest import log
from triage.models import Flag, PatientReview
from triage.review import review_patient
from triage.services import acknowledge

# Real commits, so that each save's and delete's hook runs the review (in-process in tests).
COMMITTED = pytest.mark.django_db(transaction=True)
NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)  # Europe/London: local date 1 March
TODAY = dt.date(2026, 3, 1)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def days_ago(n: int, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=n), dt.time(hour), tzinfo=dt.UTC)


def stroke(patient, n: int, **fields):
    return log(patient, started_at=days_ago(n), symptoms=["facial_droop"], **fields)


def only_flag(patient: User) -> Flag:
    return patient.flags.get()


@COMMITTED
def test_deleting_the_only_evidence_withdraws_the_flag(web, patient):
    episode = stroke(patient, 1)  # committed: its hook asked for a review
    assert only_flag(patient).status == "open"
    assert "1 warning sign to read" in web.get("/").content.decode()

    # The delete view goes through the service, whose hook asks for a review after commit.
    assert web.post(f"/episodes/{episode.id}/delete/").status_code == 302
    flag = only_flag(patient)
    assert (flag.status, flag.resolution, flag.evidence) == ("resolved", "withdrawn", [])
    assert flag.resolved_at == NOW

    assert "warning sign to read" not in web.get("/").content.decode()
    page = web.get("/flags/").content.decode()
    assert "Nothing open." in page
    assert "withdrawn: entry corrected" in page  # the patient's own history
    assert "Face drooping" not in page and "I&#x27;ve read this" not in page and "Call 112" not in page
    assert content.build(patient, TODAY - dt.timedelta(days=30), TODAY).flags == []


@COMMITTED
def test_deleting_through_the_api_reviews_and_withdraws(api, patient):
    episode = log(patient, started_at=days_ago(2), triggers=["injury"])
    assert only_flag(patient).status == "open"
    assert api.delete(f"/api/v1/episodes/{episode.id}/").status_code == 204
    assert only_flag(patient).resolution == "withdrawn"
    [record] = api.get("/api/v1/flags/").json()
    assert (record["status"], record["resolution"], record["evidence"]) == ("resolved", "withdrawn", [])


@COMMITTED
@pytest.mark.parametrize("acknowledged", [False, True])
def test_editing_away_the_only_evidence_withdraws_the_flag(patient, acknowledged):
    episode = stroke(patient, 1)
    if acknowledged:
        acknowledge(only_flag(patient))
    services.save_episode(
        patient=patient,
        episode_id=episode.id,
        started_at=episode.started_at,
        duration_minutes=5,
        severity=3,
        locations=[("left", "sole")],
        symptoms=[],  # the stroke sign was ticked by mistake
    )
    flag = only_flag(patient)
    assert (flag.status, flag.resolution) == ("resolved", "withdrawn")
    assert flag.evidence == [str(episode.id)]  # it still exists; it just no longer matches


@COMMITTED
def test_with_other_evidence_the_flag_stays_open_and_is_recounted(patient):
    first = log(patient, started_at=days_ago(3), symptoms=["speech_difficulty"])
    second = stroke(patient, 1)
    flag = only_flag(patient)
    assert flag.detail["episodes"] == 2
    services.delete_episode(patient=patient, episode_id=first.id)
    flag.refresh_from_db()
    assert (flag.status, flag.resolution) == ("open", "")
    assert flag.evidence == [str(second.id)]
    assert (flag.detail["episodes"], flag.detail["matched"]) == (1, "Face drooping on one side")
    assert flag.reasons == ["1 episode with: Face drooping on one side (started 28 Feb 2026)."]  # the one left


def test_an_unread_flag_outside_the_window_drops_a_deleted_episode_from_its_evidence(patient):
    old, kept = stroke(patient, 12), stroke(patient, 13)
    review_patient(patient.pk, TODAY)
    with time_machine.travel(NOW + dt.timedelta(days=5), tick=False):
        services.delete_episode(patient=patient, episode_id=old.id)
        review_patient(patient.pk)  # both episodes have left R; the flag is unread, so it stays open
    flag = only_flag(patient)
    assert (flag.status, flag.evidence, flag.detail["episodes"]) == ("open", [str(kept.id)], 1)


def test_a_pattern_that_no_longer_holds_after_a_delete_resolves_without_naming_it(patient):
    episodes = [log(patient, started_at=days_ago(n)) for n in (1, 3, 5, 7, 9)]
    review_patient(patient.pk)
    assert only_flag(patient).code == "pattern.persistent"
    services.delete_episode(patient=patient, episode_id=episodes[0].id)
    review_patient(patient.pk)
    flag = only_flag(patient)
    # It rested on five episodes, not on the deleted one alone: an ordinary resolution.
    assert (flag.status, flag.resolution) == ("resolved", "cleared")
    assert str(episodes[0].id) not in flag.evidence and len(flag.evidence) == 4


def test_a_pattern_that_still_holds_keeps_its_other_evidence(patient):
    episodes = [log(patient, started_at=days_ago(n)) for n in (1, 3, 5, 7, 9, 11)]
    review_patient(patient.pk)
    services.delete_episode(patient=patient, episode_id=episodes[0].id)
    review_patient(patient.pk)
    flag = only_flag(patient)
    assert (flag.status, flag.detail["days"], len(flag.evidence)) == ("open", 5, 5)
    assert str(episodes[0].id) not in flag.evidence


def both(region: str) -> list[tuple[str, str]]:
    return [("left", region), ("right", region)]


def climbing(patient: User, *regions: str) -> list[Episode]:
    """Episodes in both legs on consecutive days, ending yesterday, at these places: the review finds numbness
    climbing both legs when one is two levels above an earlier one."""
    episodes = [
        log(patient, started_at=days_ago(len(regions) - i), duration_minutes=10, locations=both(region))
        for i, region in enumerate(regions)
    ]
    review_patient(patient.pk)
    return episodes


@pytest.mark.parametrize("acknowledged", [False, True])
def test_numbness_climbing_both_legs_corrected_away_is_withdrawn(patient, acknowledged):
    """Toes on Friday, then the knees on Saturday: numbness climbing both legs (levels 1 to 5). The knees were a
    slip of the finger, corrected to the toes: the two no longer climb, so the urgent flag was a mistake and is
    withdrawn, read or not; it does not stay open telling the patient to be seen today."""
    toes, knees = climbing(patient, "toes", "knee")
    flag = only_flag(patient)
    assert (flag.code, flag.status, flag.detail["to_level"]) == ("urgent.ascending", "open", 5)
    if acknowledged:
        acknowledge(flag)
    services.save_episode(patient=patient, episode_id=knees.id, started_at=knees.started_at, duration_minutes=10,
                          severity=knees.severity, locations=both("toes"))  # fmt: skip
    flag = only_flag(patient)  # withdrawn by the save itself, before any review (the workers may be down)
    assert (flag.status, flag.resolution) == ("resolved", "withdrawn")
    assert flag.evidence == [str(toes.id), str(knees.id)]  # both still exist; they just no longer climb
    review_patient(patient.pk)
    assert patient.flags.get() == flag and (flag.status, flag.resolution) == ("resolved", "withdrawn")


def test_numbness_climbing_both_legs_with_its_top_deleted_is_withdrawn_at_once(patient):
    """The knees' entry is deleted: what is left, the toes, climbs nowhere. The delete withdraws the flag itself,
    before any review, so no page says "from the toes to the knees" about an entry that is gone."""
    _, knees = climbing(patient, "toes", "knee")
    services.delete_episode(patient=patient, episode_id=knees.id)
    flag = only_flag(patient)
    assert (flag.status, flag.resolution) == ("resolved", "withdrawn")
    assert str(knees.id) not in flag.evidence


def test_numbness_climbing_both_legs_still_climbing_after_a_delete_is_recounted(patient):
    """Toes, ankles, then the knees: the ankles' entry is deleted. Toes to knees still climbs four levels, so the
    flag stays open, resting on those two, and says so; after a week, unread, it stays open on the same two."""
    toes, ankles, knees = climbing(patient, "toes", "ankle", "knee")
    assert only_flag(patient).evidence == [str(toes.id), str(ankles.id), str(knees.id)]
    services.delete_episode(patient=patient, episode_id=ankles.id)
    flag = only_flag(patient)
    assert (flag.status, flag.evidence) == ("open", [str(toes.id), str(knees.id)])
    assert (flag.detail["from_level"], flag.detail["to_level"]) == (1, 5)
    with time_machine.travel(NOW + dt.timedelta(days=9), tick=False):
        review_patient(patient.pk)  # both have left W: not found again, but unread and still climbing
    flag = only_flag(patient)
    assert (flag.status, flag.evidence) == ("open", [str(toes.id), str(knees.id)])


def test_history_never_names_a_deleted_episode(patient):
    episode = log(patient, started_at=days_ago(2), triggers=["injury"])
    review_patient(patient.pk)
    acknowledge(only_flag(patient))
    later = TODAY + dt.timedelta(days=20)
    review_patient(patient.pk, later)
    assert (only_flag(patient).status, only_flag(patient).resolution) == ("resolved", "cleared")
    report_flags = content.build(patient, TODAY - dt.timedelta(days=30), later).flags
    assert [f.flag.code if f.flag else None for f in report_flags] == ["urgent.injury"]

    services.delete_episode(patient=patient, episode_id=episode.id)
    review_patient(patient.pk, later)
    flag = only_flag(patient)
    assert (flag.evidence, flag.resolution) == ([], "withdrawn")
    assert content.build(patient, TODAY - dt.timedelta(days=30), later).flags == []


# --- backdated reviews -----------------------------------------------------------------------------


def test_a_backdated_review_changes_nothing_and_sends_nothing(patient, django_capture_on_commit_callbacks):
    for n in (0, 2, 4, 6, 8):
        log(patient, started_at=days_ago(n), triggers=["injury"] if n == 0 else [])
    log(patient, started_at=days_ago(30), symptoms=["fainting"])  # outside today's R
    with django_capture_on_commit_callbacks(execute=True):
        review_patient(patient.pk)
    assert len(mail.outbox) == 2  # urgent.injury and pattern.persistent
    before = list(Flag.objects.order_by("id").values())
    state = PatientReview.objects.values().get()

    # As of 20 days ago: today's flags would resolve and the fainting would open a new one.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = review_patient(patient.pk, TODAY - dt.timedelta(days=20))
    assert result.backdated
    assert "emergency.breathing_or_fainting" in {f.code for f in result.findings}
    assert list(Flag.objects.order_by("id").values()) == before
    assert PatientReview.objects.values().get() == state
    assert callbacks == [] and len(mail.outbox) == 2


def test_a_backdated_dry_run_shows_what_it_would_do(patient):
    log(patient, started_at=days_ago(30), symptoms=["fainting"])
    review_patient(patient.pk)
    result = review_patient(patient.pk, TODAY - dt.timedelta(days=20), dry_run=True)
    assert [(c.code, c.action) for c in result.changes] == [("emergency.breathing_or_fainting", "opened")]
    assert not Flag.objects.exists()


def test_a_review_as_of_the_same_day_or_later_is_not_backdated(patient):
    log(patient, started_at=days_ago(1), triggers=["injury"])
    assert not review_patient(patient.pk, TODAY).backdated
    assert not review_patient(patient.pk, TODAY).backdated
    assert not review_patient(patient.pk, TODAY + dt.timedelta(days=1)).backdated


# --- the late-entry stroke screen, through the API and the form --------------------------------------


@pytest.mark.parametrize(
    "ago, level, title",
    [
        (dt.timedelta(hours=23, minutes=59), "emergency", "Possible signs of a stroke"),
        (dt.timedelta(hours=24, minutes=1), "urgent", "Signs of a stroke that have passed"),
    ],
)
def test_stroke_signs_logged_late_get_the_urgent_screen(
    api, patient, ago, level, title, django_capture_on_commit_callbacks
):
    body = api.put(
        f"/api/v1/episodes/{uuid.uuid4()}/",
        {
            "started_at": (NOW - ago).isoformat(),
            "duration_minutes": 20,
            "ongoing": False,
            "severity": 5,
            "locations": [{"side": "left", "region": "calf"}],
            "sensations": ["numbness"],
            "symptoms": ["facial_droop", "leg_swollen"],
        },
        format="json",
    ).json()
    alerts = {a["code"]: a for a in body["alerts"]}
    stroke_alert = alerts["emergency.stroke_signs"]
    assert (stroke_alert["level"], stroke_alert["title"]) == (level, title)
    assert stroke_alert["message"].startswith("Call 112 now" if level == "emergency" else "See a doctor today")
    assert alerts["urgent.swollen_leg"]["level"] == "urgent"  # other signs are not affected
    with django_capture_on_commit_callbacks(execute=True):
        review_patient(patient.pk)
    assert patient.flags.get(code="emergency.stroke_signs").level == "emergency"  # the flag is the same
    # The email when the flag opens gives the same advice as the save screen.
    (email,) = [m for m in mail.outbox if "stroke" in m.body]
    assert f"noticed something in what you logged: {title} (" in email.body
    assert email.subject == {"emergency": "Numbness Diary: Please read this now",
                             "urgent": "Numbness Diary: Please read this today"}[level]  # fmt: skip
    advice = email.body.split("\n\n")[3]
    assert advice.startswith("Call 112 now" if level == "emergency" else "See a doctor today"), advice


def test_late_stroke_entry_on_the_form_has_no_call_now_button(web, patient):
    from tests.diary.test_log_episode import form_data

    data = form_data(when="earlier", started_at="2026-02-20T09:00", alarm_symptoms=["sudden_headache"])
    page = web.post("/log/", data, follow=True).content.decode()  # the warning page of its own
    assert "Signs of a stroke that have passed" in page and "See a doctor today" in page
    assert "Call 112 now" not in page and 'href="tel:' not in page


def test_the_flags_page_gives_late_stroke_entries_the_same_advice_as_the_save_screen(web, patient):
    log(patient, started_at=days_ago(3), symptoms=["arm_weakness"])  # logged three days late
    review_patient(patient.pk)
    page = web.get("/flags/").content.decode()
    assert "See a doctor today, even though these signs have gone." in page and "Call 112 now" not in page

    log(patient, started_at=NOW - dt.timedelta(hours=2), symptoms=["facial_droop"])  # logged at once
    review_patient(patient.pk)
    page = web.get("/flags/").content.decode()
    assert "Call 112 now." in page


def test_the_email_for_a_stroke_sign_added_to_an_old_episode_gives_the_late_advice(
    patient, django_capture_on_commit_callbacks
):
    """As on the save screen, an edit that adds a stroke sign to an old episode is a late entry."""
    started = NOW - dt.timedelta(days=3)
    with time_machine.travel(started + dt.timedelta(minutes=30), tick=False):
        episode = log(patient, started_at=started, symptoms=[])  # logged on time, nothing alarming
    with django_capture_on_commit_callbacks(execute=True):
        services.save_episode(
            patient=patient, episode_id=episode.id, started_at=started, duration_minutes=20, severity=5,
            locations=[("left", "calf")], sensations=["numbness"], symptoms=["facial_droop"],
        )  # fmt: skip
        review_patient(patient.pk)
    (email,) = [m for m in mail.outbox if "stroke" in m.body]
    assert "noticed something in what you logged: Signs of a stroke that have passed (" in email.body
    assert email.subject == "Numbness Diary: Please read this today"  # see a doctor today, not call now
    assert "Call 112 now" not in email.body


def test_a_delete_recounts_an_open_flag_at_once_before_any_review(patient):
    """Two stroke signs; one is deleted. The review that follows a save (after the commit, by a worker) is not run
    here, as when the workers are down: the flag is recounted by the delete itself, and names no deleted episode."""
    kept = log(patient, started_at=days_ago(1, 9), symptoms=["speech_difficulty"])
    gone = stroke(patient, 1)
    flag = only_flag(patient)
    assert sorted(flag.evidence) == sorted([str(kept.id), str(gone.id)]) and flag.detail["episodes"] == 2
    services.delete_episode(patient=patient, episode_id=gone.id)
    flag.refresh_from_db()
    assert (flag.status, flag.evidence) == ("open", [str(kept.id)])
    assert flag.reasons == ["1 episode with: Slurred or difficult speech (started 28 Feb 2026)."]


def test_an_edit_that_takes_a_sign_away_recounts_the_flag_it_leaves_open(patient):
    """The same by an edit: the face droop is corrected away from one of the two; the other keeps the flag open."""
    kept = log(patient, started_at=days_ago(1, 9), symptoms=["speech_difficulty"])
    edited = stroke(patient, 1)
    services.save_episode(patient=patient, episode_id=edited.id, started_at=edited.started_at, duration_minutes=5,
                          severity=3, locations=[("left", "sole")])  # fmt: skip
    flag = only_flag(patient)
    assert (flag.status, flag.evidence) == ("open", [str(kept.id)])
    assert flag.reasons == ["1 episode with: Slurred or difficult speech (started 28 Feb 2026)."]


def correct(patient: User, mistake: Episode, correction: str) -> None:
    """The entry logged by mistake is deleted, or edited to a plain one (what was alarming in it unticked)."""
    if correction == "deleted":
        services.delete_episode(patient=patient, episode_id=mistake.id)
    else:
        services.save_episode(patient=patient, episode_id=mistake.id, started_at=mistake.started_at, duration_minutes=5,
                              severity=3, locations=[("left", "sole")])  # fmt: skip


@COMMITTED
@pytest.mark.parametrize("correction", ["deleted", "edited"])
def test_a_read_flag_reopened_by_an_entry_corrected_away_is_read_again(patient, correction):
    """A stroke sign, read; a new entry with a face droop opens the flag again; the entry was a mistake and is removed
    (or the droop unticked). The flag still rests on the first entry, which the patient has read: it is read again,
    not open telling them to call now (DESIGN §5: a read flag opens again when a new or edited episode matches it;
    after the correction none does), and no message goes after it."""
    first = stroke(patient, 3)
    acknowledge(only_flag(patient))
    mistake = stroke(patient, 0)
    assert only_flag(patient).status == "open"
    mail.outbox.clear()  # the review after the save told them: the entry was there then
    correct(patient, mistake, correction)
    flag = only_flag(patient)
    assert (flag.status, flag.evidence) == ("acknowledged", [str(first.id)])
    review_patient(patient.pk)
    assert only_flag(patient).status == "acknowledged"
    assert mail.outbox == []


@COMMITTED
@pytest.mark.parametrize("correction", ["deleted", "edited"])
def test_an_unread_flag_past_the_window_keeps_its_entry_when_a_new_one_is_corrected_away(patient, correction):
    """An injury 16 days ago opened a flag the patient never read: it stays open past R, on that entry. A new injury
    entry (a mistake) joins it, and is removed (or its injury unticked). The flag still rests on the first entry,
    which still matches and was never read: it stays open on it (DESIGN §5: unread, it stays open until the patient
    reads it; a correction withdraws only the flags that rested on the corrected entry alone)."""
    with time_machine.travel(NOW - dt.timedelta(days=16), tick=False):
        first = log(patient, started_at=days_ago(16), triggers=["injury"])
    assert review_patient(patient.pk).findings == []  # outside R now
    assert only_flag(patient).status == "open"
    mistake = log(patient, started_at=days_ago(0), triggers=["injury"])
    assert only_flag(patient).evidence == [str(first.id), str(mistake.id)]
    correct(patient, mistake, correction)
    flag = only_flag(patient)
    assert (flag.status, flag.resolution, flag.evidence) == ("open", "", [str(first.id)])
    review_patient(patient.pk)
    flag = only_flag(patient)
    assert (flag.status, flag.evidence, flag.detail["episodes"]) == ("open", [str(first.id)], 1)


@COMMITTED
def test_a_read_entry_corrected_away_and_then_given_another_sign_opens_the_flag_again(patient):
    """Slurred speech three days ago and a face droop yesterday, read. The droop is unticked (a mistake), then arm
    weakness is ticked on that entry: an edited episode that matches opens a read flag again (DESIGN §5), though the
    entry was among those read, for what it says now is new to the patient. It stays open after the next review."""
    first = log(patient, started_at=days_ago(3), symptoms=["speech_difficulty"])
    edited = stroke(patient, 1)
    acknowledge(only_flag(patient))

    def edit(symptoms: list[str]) -> None:
        services.save_episode(patient=patient, episode_id=edited.id, started_at=edited.started_at, duration_minutes=5,
                              severity=3, locations=[("left", "sole")], symptoms=symptoms)  # fmt: skip

    edit([])
    flag = only_flag(patient)
    assert (flag.status, flag.evidence) == ("acknowledged", [str(first.id)])
    edit(["arm_weakness"])
    flag = only_flag(patient)
    assert (flag.status, flag.evidence) == ("open", [str(first.id), str(edited.id)])
    review_patient(patient.pk)
    assert only_flag(patient).status == "open"


def test_numbness_climbing_both_legs_found_again_speaks_of_the_climb_within_the_week(patient):
    """Unread, numbness climbing both legs from the toes (9 days ago) to the knees (8 days ago) stays open after the
    week. Then the shins (2 days ago) and the buttocks (today): found again, its words ("in the last 7 days …") are of
    that climb, from the shins to the buttocks, not from the toes 9 days ago."""
    toes = log(patient, started_at=days_ago(9), duration_minutes=10, locations=both("toes"))
    knees = log(patient, started_at=days_ago(8), duration_minutes=10, locations=both("knee"))
    with time_machine.travel(NOW - dt.timedelta(days=8), tick=False):
        review_patient(patient.pk)
    assert only_flag(patient).evidence == [str(toes.id), str(knees.id)]
    shins = log(patient, started_at=days_ago(2), duration_minutes=10, locations=both("shin"))
    top = log(patient, started_at=days_ago(0, 9), duration_minutes=10, locations=both("buttock"))
    review_patient(patient.pk)
    flag = only_flag(patient)
    assert flag.status == "open"
    assert (flag.detail["from_level"], flag.detail["to_level"]) == (4, 7)
    assert flag.evidence == [str(shins.id), str(top.id)]
