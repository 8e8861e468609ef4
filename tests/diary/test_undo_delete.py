"""Undo after a delete: the next page says "Episode deleted" with Undo (for 10 s, static/js/undo.js), which brings
the episode back as it was, with its id, through the ordinary save: its warning sign and screen too."""

import datetime as dt
import uuid

import pytest
import time_machine

from diary import services
from tests.conftest import log
from triage.models import Flag

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


@time_machine.travel(NOW, tick=False)
def test_a_deleted_episode_comes_back_whole_with_undo(web, patient):
    episode = log(
        patient,
        started_at=NOW - dt.timedelta(days=2),
        duration_minutes=17,
        severity=6,
        locations=[("right", "calf"), ("left", "heel")],
        triggers=["sitting"],
        notes="on the train",
    )
    before = {f: getattr(episode, f) for f in ("started_at", "duration_minutes", "severity", "triggers", "notes")}
    back = "/history/?at=2026-02-27#day-2026-02-27"
    response = web.post(f"/episodes/{episode.id}/delete/", {"next": back})
    assert response["Location"] == back and not patient.episodes.exists()

    page = web.get("/history/", {"at": "2026-02-27"}).content.decode()
    assert "Episode deleted." in page and "Left heel, right calf · 6/10" in page
    assert 'action="/episodes/restore/"' in page
    # The day had nothing else: it is not in History any more (no episode, no "numbness noted" on the word of the
    # deleted one), so Undo comes back to History at that date.
    assert 'id="day-2026-02-27"' not in page and not patient.checkins.exists()
    assert 'name="next" value="/history/?at=2026-02-27"' in page
    assert "Episode deleted." not in web.get("/history/").content.decode()  # shown once

    restored = web.post("/episodes/restore/", {"next": back})
    assert restored["Location"] == back
    assert [(c.date, c.numbness_today) for c in patient.checkins.all()] == [(dt.date(2026, 2, 27), True)]
    again = patient.episodes.get()
    assert again.id == episode.id
    assert {f: getattr(again, f) for f in before} == before
    assert sorted((loc.side, loc.region) for loc in again.locations.all()) == [("left", "heel"), ("right", "calf")]
    assert "Undone: the episode is back in your diary." in web.get(back.split("#")[0]).content.decode()
    assert web.post("/episodes/restore/").status_code == 302 and patient.episodes.count() == 1  # once only


def test_undo_is_refused_after_a_while(web, patient):
    episode = log(patient)
    with time_machine.travel(NOW, tick=False):
        web.post(f"/episodes/{episode.id}/delete/")
    with time_machine.travel(NOW + dt.timedelta(minutes=6), tick=False):
        page = web.post("/episodes/restore/", follow=True).content.decode()
    assert "can no longer be brought back" in page and not patient.episodes.exists()


def test_nothing_to_restore_in_another_session(client, patient, other_patient):
    client.force_login(other_patient)
    episode = log(patient)
    assert client.post(f"/episodes/{episode.id}/delete/").status_code == 404
    client.post("/episodes/restore/")
    assert patient.episodes.count() == 1 and not other_patient.episodes.exists()


@pytest.mark.django_db(transaction=True)
def test_undoing_the_delete_of_an_alarming_entry_brings_its_warning_back(web, patient):
    with time_machine.travel(NOW, tick=False):
        episode = log(patient, started_at=NOW - dt.timedelta(hours=1), symptoms=["facial_droop"])
        assert patient.flags.get().status == "open"
        web.post(f"/episodes/{episode.id}/delete/")
        assert patient.flags.get().resolution == "withdrawn"
        response = web.post("/episodes/restore/")
        assert response["Location"].startswith("/alert/")  # the warning screen, as after the first save
        assert Flag.objects.get(patient=patient, status="open").code == "emergency.stroke_signs"


@time_machine.travel(NOW, tick=False)
def test_the_check_in_an_episode_implied_goes_with_the_days_last_episode(patient):
    # Each story worked out by hand: what the day says once the episode is deleted.
    yesterday = dt.date(2026, 2, 28)
    first = log(patient, started_at=NOW - dt.timedelta(days=1, hours=3))
    second = log(patient, started_at=NOW - dt.timedelta(days=1, hours=1))
    days = lambda: [(c.date, c.numbness_today) for c in patient.checkins.order_by("date")]  # noqa: E731
    assert days() == [(yesterday, True)]
    services.delete_episode(patient=patient, episode_id=first.id)
    assert days() == [(yesterday, True)]  # another episode that day: still a day with numbness
    services.delete_episode(patient=patient, episode_id=second.id)
    assert days() == []  # its last episode gone: the day is not logged, not "numbness noted"

    # "No numbness today", then an episode after all (the day has numbness), then Undo: the day is asked again,
    # neither "no numbness" (the patient changed their mind) nor "numbness" (nothing logged says so).
    today = NOW.date()
    services.save_checkin(patient=patient, date=today, numbness_today=False, today=today)
    third = log(patient, started_at=NOW - dt.timedelta(minutes=30))
    assert days() == [(today, True)]
    services.delete_episode(patient=patient, episode_id=third.id)
    assert days() == []

    # Another day's check-in is left as it is, and a deleted episode that was not the patient's changes nothing.
    services.save_checkin(patient=patient, date=yesterday, numbness_today=False, today=today)
    fourth = log(patient, started_at=NOW - dt.timedelta(minutes=10))
    assert services.delete_episode(patient=patient, episode_id=uuid.uuid4()) is False
    assert services.delete_episode(patient=patient, episode_id=fourth.id) is True
    assert days() == [(yesterday, False)]


def _edit(episode, started_at):
    """The same episode saved again with another start, as the edit page and the API's PUT do."""
    return services.save_episode(
        patient=episode.patient,
        episode_id=episode.id,
        started_at=started_at,
        duration_minutes=episode.duration_minutes,
        severity=episode.severity,
        locations=[(place.side, place.region) for place in episode.locations.all()],
        sensations=episode.sensations,
    ).episode


@time_machine.travel(NOW, tick=False)
def test_an_episode_edited_onto_another_day_takes_its_check_in_along(patient):
    # Worked out by hand (the patient's zone is UTC): what each day says once the episode moves.
    days = lambda: [(c.date, c.numbness_today) for c in patient.checkins.order_by("date")]  # noqa: E731
    feb27, feb28, mar1 = dt.date(2026, 2, 27), dt.date(2026, 2, 28), dt.date(2026, 3, 1)
    alone = log(patient, started_at=dt.datetime(2026, 2, 28, 9, 0, tzinfo=dt.UTC))
    assert days() == [(feb28, True)]
    _edit(alone, dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC))  # the day's only episode moves: the day is not logged
    assert days() == [(mar1, True)]
    _edit(alone, dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC))  # another hour of the same day: nothing else moves
    assert days() == [(mar1, True)]

    # Two episodes on 27 February; one moves to 28 February: the 27th keeps its numbness, for the other episode.
    first = log(patient, started_at=dt.datetime(2026, 2, 27, 7, 0, tzinfo=dt.UTC))
    log(patient, started_at=dt.datetime(2026, 2, 27, 20, 0, tzinfo=dt.UTC))
    _edit(first, dt.datetime(2026, 2, 28, 7, 0, tzinfo=dt.UTC))
    assert days() == [(feb27, True), (feb28, True), (mar1, True)]


@time_machine.travel(NOW, tick=False)
def test_the_day_an_edit_leaves_is_the_patients_local_day(patient):
    # In New York (UTC−5 in February), 03:30 UTC on 28 February is 22:30 on the 27th; moved two hours later it is
    # 00:30 on the 28th: the 27th, left with no episode, is not logged any more.
    patient.profile.timezone = "America/New_York"
    patient.profile.save()
    days = lambda: [(c.date, c.numbness_today) for c in patient.checkins.order_by("date")]  # noqa: E731
    late = log(patient, started_at=dt.datetime(2026, 2, 28, 3, 30, tzinfo=dt.UTC))
    assert days() == [(dt.date(2026, 2, 27), True)]
    _edit(late, dt.datetime(2026, 2, 28, 5, 30, tzinfo=dt.UTC))
    assert days() == [(dt.date(2026, 2, 28), True)]
