"""The log in a few taps, server side: repeat cards, minutes-ago starts, grouped alarm questions, saved + Undo."""

import datetime as dt
import uuid

import pytest
import time_machine

from diary import forms, quicklog, vocab
from tests.conftest import log, make_patient
from tests.diary.test_log_episode import form_data

NOW = dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)


def test_repeat_cards_are_the_last_distinct_episodes(patient):
    hour = dt.timedelta(hours=1)
    a = log(patient, started_at=NOW - 1 * hour, severity=4, locations=[("left", "toes")], notes="one")
    log(patient, started_at=NOW - 2 * hour, severity=4, locations=[("left", "toes")], notes="other notes, same card")
    log(patient, started_at=NOW - 3 * hour, severity=4, locations=[("left", "toes")], symptoms=["leg_weakness"])
    b = log(patient, started_at=NOW - 4 * hour, severity=5, locations=[("left", "toes")])
    c = log(patient, started_at=NOW - 5 * hour, severity=4, locations=[("right", "toes")])
    log(patient, started_at=NOW - 6 * hour, severity=9, locations=[("right", "knee")])  # a fourth: left out
    cards = quicklog.repeat_cards(patient)
    assert [card.episode.id for card in cards] == [a.id, b.id, c.id]
    assert (cards[0].places, cards[0].details) == ("Left toes", "4/10 · 5 min · Numbness")


def test_a_card_reads_like_the_episode(db):
    episode = log(
        make_patient("carla"),
        locations=[("left", "sole"), ("left", "toes")],
        duration_minutes=None,
        sensations=["tingling", "burning", "cold"],
        triggers=["sitting"],
        relieved_by=["by_itself"],
    )
    card = quicklog.card_for(episode)
    assert card.places == "Left toes, left sole"
    assert card.details == "3/10 · still going · Tingling, pins and needles · Burning · after sitting · went by itself"


def test_log_page_offers_cards_and_a_card_fills_everything_but_the_time(web, patient):
    old = log(
        patient,
        started_at=NOW - dt.timedelta(days=3),
        duration_minutes=15,
        severity=6,
        locations=[("right", "calf")],
        sensations=["cold"],
        triggers=["crossed_legs"],
        symptoms=["cramps", "leg_weakness"],
        relieved_by=["massage"],
        notes="private words",
    )
    page = web.get("/log/").content.decode()
    assert f'href="/log/?again={old.id}"' in page and "Log this again" in page

    page = web.get(f"/log/?again={old.id}").content.decode()
    for name, value in [
        ("locations", "right:calf"),
        ("duration", "15"),
        ("severity", "6"),
        ("sensations", "cold"),
        ("triggers", "crossed_legs"),
        ("other_symptoms", "cramps"),
        ("relieved_by", "massage"),
        ("when", "now"),
    ]:
        assert f'name="{name}" value="{value}"' in page and _checked(page, name, value), (name, value)
    assert not _checked(page, "alarm_symptoms", "leg_weakness")  # asked afresh, never pre-answered
    assert "private words" not in page
    assert f'value="{old.id}"' not in page  # a new episode, not an edit of the old one
    assert "Right calf" in page  # read back under the map before any script runs


def _checked(page: str, name: str, value: str) -> bool:
    at = page.index(f'name="{name}" value="{value}"')
    tag = page[page.rindex("<input", 0, at) : page.index(">", at)]
    return "checked" in tag


def test_another_patients_episode_or_a_bad_id_gives_the_plain_form(web, other_patient):
    theirs = log(other_patient, locations=[("right", "buttock")], severity=9)
    for again in (str(theirs.id), "not-a-uuid", str(uuid.uuid4())):
        response = web.get(f"/log/?again={again}")
        assert response.status_code == 200
        page = response.content.decode()
        assert not _checked(page, "locations", "right:buttock") and not _checked(page, "severity", "9")
        assert "Same as before?" not in page  # no cards: this patient has no episodes


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("when, minutes", [("now", 0), ("5", 5), ("15", 15), ("30", 30), ("60", 60)])
def test_minutes_ago_count_back_from_now(web, patient, when, minutes):
    web.post("/log/", form_data(when=when))
    assert patient.episodes.get().started_at == NOW - dt.timedelta(minutes=minutes)


def test_an_unknown_when_is_refused_by_name(web, patient):
    response = web.post("/log/", form_data(when="7"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page[page.index('id="when-error"') :][:300]
    assert not patient.episodes.exists()


def test_the_page_after_a_save_confirms_it_once_with_undo(web, patient):
    response = web.post("/log/", form_data(), follow=True)
    episode = patient.episodes.get()
    page = response.content.decode()
    assert "Episode saved." in page and "Left toes, left sole · 4/10" in page
    assert f'action="/episodes/{episode.id}/delete/"' in page and 'name="undo"' in page
    assert "Episode saved." not in web.get("/").content.decode()  # once only

    data = form_data()
    web.post("/log/", data, HTTP_ACCEPT="application/json")  # the offline queue's save, then it opens Today
    assert "Episode saved." in web.get("/").content.decode()


def test_an_edit_says_changes_saved_and_offers_no_undo(web, patient):
    episode = log(patient)
    page = web.post(
        f"/episodes/{episode.id}/edit/", form_data(when="earlier", started_at="2026-01-02T10:00"), follow=True
    ).content.decode()
    assert "Changes saved." in page and 'name="undo"' not in page


def test_a_save_with_a_warning_shows_the_warning_not_undo(web, patient):
    web.post("/log/", form_data(alarm_symptoms=["speech_difficulty"]))
    assert 'name="undo"' not in web.get("/").content.decode()


def test_undo_deletes_the_episode_and_returns_to_the_page(web, patient):
    episode = log(patient)
    response = web.post(f"/episodes/{episode.id}/delete/", {"undo": "1", "next": "/history/"})
    assert response.status_code == 302 and response["Location"] == "/history/"
    assert not patient.episodes.exists()
    assert "Undone: that episode is no longer in your diary." in web.get("/history/").content.decode()

    episode = log(patient)
    response = web.post(f"/episodes/{episode.id}/delete/", {"undo": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_undo_of_another_patients_episode_is_404_and_keeps_it(web, other_patient):
    theirs = log(other_patient)
    assert web.post(f"/episodes/{theirs.id}/delete/", {"undo": "1"}).status_code == 404
    assert other_patient.episodes.count() == 1


def test_alarm_groups_cover_every_alarm_symptom_once():
    groups = forms.alarm_groups()
    codes = [code for _, members in groups for code, _ in members]
    assert sorted(codes) == sorted(code for code, term in vocab.SYMPTOMS.items() if term.alarm)
    assert len(codes) == len(set(codes))
    assert len(groups) >= 3


def test_alarm_groups_follow_the_vocabulary_and_never_drop_a_question(monkeypatch):
    groups = (("Stroke", ("speech_difficulty", "facial_droop")), ("Blood", ("leg_pale_cold", "not_a_code")))
    monkeypatch.setattr(vocab, "ALARM_GROUPS", groups)
    found = forms.alarm_groups()
    assert found[0] == (
        "Stroke",
        [
            ("speech_difficulty", vocab.SYMPTOMS["speech_difficulty"].label),
            ("facial_droop", vocab.SYMPTOMS["facial_droop"].label),
        ],
    )
    assert found[1] == ("Blood", [("leg_pale_cold", vocab.SYMPTOMS["leg_pale_cold"].label)])
    rest = [code for code, _ in found[2][1]]  # whatever the groups leave out is still asked
    assert "leg_weakness" in rest and "speech_difficulty" not in rest


def test_the_alarm_block_is_on_every_log_form_and_never_pre_answered(web, patient):
    page = web.get("/log/").content.decode()
    assert 'class="field alarm-check' in page and "Anything else right now?" in page
    for title, _ in forms.alarm_groups():
        assert f"<legend>{title}</legend>" in page
    assert not any(_checked(page, "alarm_symptoms", code) for code, t in vocab.SYMPTOMS.items() if t.alarm)
