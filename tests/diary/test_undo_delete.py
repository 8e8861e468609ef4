"""Undo after a delete: the next page says "Episode deleted" with Undo (for 10 s, static/js/undo.js), which brings
the episode back as it was, with its id, through the ordinary save: its warning sign and screen too."""

import datetime as dt

import pytest
import time_machine

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
    assert 'name="next" value="/history/?at=2026-02-27#day-2026-02-27"' in page  # Undo comes back here too
    assert "Episode deleted." not in web.get("/history/").content.decode()  # shown once

    restored = web.post("/episodes/restore/", {"next": back})
    assert restored["Location"] == back
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
