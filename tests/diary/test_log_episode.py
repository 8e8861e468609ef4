"""The log form: quick choices, validation next to each field, idempotent double taps, edit and delete."""

import datetime as dt
import uuid
from typing import Any

import pytest
import time_machine

from diary.models import Episode
from tests.conftest import log


def form_data(**overrides) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "when": "now",
        "duration": "5",
        "severity": "4",
        "locations": ["left:sole", "left:toes"],
        "sensations": ["numbness"],
        "triggers": ["sitting"],
        "relieved_by": ["changed_position"],
        "notes": "",
    } | overrides


def test_log_page_offers_every_region_on_both_sides_of_the_diagram(web):
    page = web.get("/log/").content.decode()
    for side in ("left", "right"):
        for region in (
            "toes",
            "sole",
            "heel",
            "top_of_foot",
            "ankle",
            "shin",
            "calf",
            "knee",
            "thigh_front",
            "thigh_outer",
            "thigh_back",
            "buttock",
            "groin",
        ):
            assert f'data-location="{side}:{region}"' in page
            assert f'value="{side}:{region}"' in page  # the same choice as a labelled checkbox
    assert "Anything else right now?" in page


@time_machine.travel(dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC), tick=False)
def test_logging_now_saves_the_episode_and_returns_to_today(web, patient):
    response = web.post("/log/", form_data())
    assert response.status_code == 302 and response["Location"] == "/"
    episode = patient.episodes.get()
    assert episode.started_at == dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC)
    assert (episode.duration_minutes, episode.severity) == (5, 4)
    assert sorted((loc.side, loc.region) for loc in episode.locations.all()) == [("left", "sole"), ("left", "toes")]
    assert "Episode saved." in web.get("/").content.decode()


def test_double_tap_on_save_leaves_one_episode(web, patient):
    data = form_data()
    web.post("/log/", data)
    web.post("/log/", data)
    assert patient.episodes.count() == 1


def test_earlier_start_is_read_in_the_patients_time_zone(web, patient):
    patient.profile.timezone = "America/Chicago"
    patient.profile.save()
    web.post("/log/", form_data(when="earlier", started_at="2026-01-20T07:15"))
    assert patient.episodes.get().started_at == dt.datetime(2026, 1, 20, 13, 15, tzinfo=dt.UTC)


def test_custom_and_ongoing_durations(web, patient):
    web.post("/log/", form_data(id=str(uuid.uuid4()), duration="custom", duration_custom="42"))
    web.post("/log/", form_data(id=str(uuid.uuid4()), duration="ongoing"))
    assert sorted(patient.episodes.values_list("duration_minutes", flat=True), key=str) == [42, None]


def test_symptoms_from_both_groups_are_kept(web, patient):
    web.post("/log/", form_data(alarm_symptoms=["leg_weakness"], other_symptoms=["back_pain", "cramps"]))
    assert patient.episodes.get().symptoms == ["leg_weakness", "back_pain", "cramps"]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"severity": "11"}, "severity", "Select a valid choice"),
        ({"severity": ""}, "severity", "Choose how bad it was"),
        ({"locations": []}, "locations", "Mark at least one place on the leg."),
        ({"locations": ["left:elbow"]}, "locations", "Select a valid choice"),
        ({"when": "earlier", "started_at": "2999-01-01T10:00"}, "started_at", "can&#x27;t be in the future"),
        ({"when": "earlier", "started_at": "1999-12-31T10:00"}, "started_at", "before 1 January 2000"),
        ({"when": "earlier", "started_at": ""}, "started_at", "Give the date and time it started."),
        ({"duration": "custom", "duration_custom": "-3"}, "duration_custom", "The minutes can&#x27;t be below 0."),
        (
            {"duration": "custom", "duration_custom": "1441"},
            "duration_custom",
            "An episode can last at most 24 hours (1440 minutes).",
        ),
        ({"duration": "custom", "duration_custom": "1.5"}, "duration_custom", "as a whole number, for example 90"),
        ({"duration": "custom"}, "duration_custom", "Give the number of minutes."),
        ({"duration": ""}, "duration", "Choose how long it lasted, or “Not sure”."),
        ({"notes": "x" * 2001}, "notes", "Notes can be up to 2,000 characters; these have 2,001. Shorten them by 1"),
        ({"sensations": ["glowing"]}, "sensations", "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_saves_nothing(web, change, field, message):
    response = web.post("/log/", form_data(**change))
    assert response.status_code == 400
    page = response.content.decode()
    error_start = page.index(f'id="{field}-error"')
    assert message in page[error_start : error_start + 300]
    assert not Episode.objects.exists()


def test_the_offline_queue_gets_json_with_errors_or_the_saved_id(web, patient):
    bad = web.post("/log/", form_data(severity="12"), HTTP_ACCEPT="application/json")
    assert bad.status_code == 400 and "severity" in bad.json()["errors"]
    data = form_data(when="earlier", started_at="2026-02-01T10:00:00+01:00")
    good = web.post("/log/", data, HTTP_ACCEPT="application/json")
    assert good.status_code == 200
    assert good.json()["id"] == data["id"] and good.json()["alerts"] == []
    assert patient.episodes.get().started_at == dt.datetime(2026, 2, 1, 9, 0, tzinfo=dt.UTC)


def test_edit_shows_the_episode_and_saves_changes(web, patient):
    episode = log(patient, severity=3, duration_minutes=17, locations=[("right", "calf")], notes="after the bus")
    page = web.get(f"/episodes/{episode.id}/edit/").content.decode()
    assert "after the bus" in page
    assert 'value="17"' in page  # an uncommon duration is shown as a custom one
    response = web.post(
        f"/episodes/{episode.id}/edit/",
        form_data(id=str(uuid.uuid4()), when="earlier", started_at="2026-01-02T10:00", severity="8"),
    )
    assert response.status_code == 302
    assert patient.episodes.count() == 1
    episode.refresh_from_db()
    assert episode.severity == 8  # the id in the URL wins over a tampered hidden id


def test_delete_asks_then_deletes(web, patient):
    episode = log(patient)
    assert "You can undo it for a few seconds." in web.get(f"/episodes/{episode.id}/delete/").content.decode()
    assert patient.episodes.count() == 1
    web.post(f"/episodes/{episode.id}/delete/")
    assert patient.episodes.count() == 0


def test_pages_need_a_login(client):
    for path in ("/", "/log/", "/history/", "/settings/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@time_machine.travel(dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC), tick=False)
def test_minutes_ago_count_back_from_the_phones_tap(web, patient):
    """The phone sends the moment of the tap with its offset; "10 min ago" counts back from it."""
    web.post("/log/", form_data(when="10", tapped_at="2026-05-04T11:20:00+02:00"))
    assert patient.episodes.get().started_at == dt.datetime(2026, 5, 4, 9, 10, tzinfo=dt.UTC)


@time_machine.travel(dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC), tick=False)
def test_an_error_keeps_just_now_and_the_moment_of_the_tap(web, patient):
    tapped = "2026-05-04T13:59:09+04:30"  # the phone's own offset, unlike the profile's (London)
    response = web.post("/log/", form_data(tapped_at=tapped, severity=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="now" id="id_when_0" required checked' in page  # not "Earlier" with an empty box
    assert "Just now (13:59)" in page and "10 min ago (13:49)" in page  # as the phone's clock read
    assert f'name="tapped_at" value="{tapped}"' in page
    assert 'name="started_at" value="2026-05-04T10:29"' in page  # "Earlier" starts from that moment, in London
    again = web.post("/log/", form_data(tapped_at=tapped))  # the next Save means the same time
    assert again.status_code == 302
    assert patient.episodes.get().started_at == dt.datetime(2026, 5, 4, 9, 29, 9, tzinfo=dt.UTC)


@time_machine.travel(dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC), tick=False)
def test_earlier_starts_from_now_and_a_past_day_from_that_day(web, patient):
    page = web.get("/log/").content.decode()
    assert "10 min ago" in page
    assert 'name="started_at" value="2026-05-04T10:30"' in page  # now, in London (BST)
    past = web.get("/log/", {"day": "2026-05-01"}).content.decode()
    assert 'name="started_at" value="2026-05-01T10:30"' in past
    assert 'value="earlier" id="id_when_6" required checked' in past
    assert "Same as before?" not in past  # a repeat card would log "just now"
    future = web.get("/log/", {"day": "2026-05-09"}).content.decode()
    assert 'value="now" id="id_when_0" required checked' in future  # not a day that can be logged: a plain form


def test_notes_are_never_cut_by_the_box(web, patient):
    page = web.get("/log/").content.decode()
    box = page.split('name="notes"')[1].split(">")[0]
    assert "maxlength" not in box and 'data-max-length="2000"' in box and 'aria-describedby="notes-count"' in box
    long = ("word " * 450).strip()  # 2,249 characters
    response = web.post("/log/", form_data(notes=long))
    assert response.status_code == 400
    assert long in response.content.decode()  # all of it comes back to be shortened
    assert "Shorten them by 249 to save. Nothing you typed was cut." in response.content.decode()


def test_an_edit_goes_back_to_where_it_was_opened(web, patient):
    episode = log(patient)
    back = "/history/?page=1&at=2026-01-02#day-2026-01-02"
    page = web.get(f"/episodes/{episode.id}/edit/", {"next": back}).content.decode()
    assert 'name="next" value="/history/?page=1&amp;at=2026-01-02#day-2026-01-02"' in page
    response = web.post(f"/episodes/{episode.id}/edit/", form_data(next=back))
    assert response.status_code == 302 and response["Location"] == back
    elsewhere = web.post(f"/episodes/{episode.id}/edit/", form_data(next="https://example.com/"))
    assert elsewhere["Location"] == "/"  # never to another site


def test_a_stop_right_after_the_start_never_says_zero_minutes(web, patient):
    episode = log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=20), duration_minutes=None)
    page = web.post(f"/episodes/{episode.id}/stopped/", follow=True).content.decode()
    assert "Noted: it lasted less than a minute." in page and "0 minutes" not in page


@time_machine.travel(dt.datetime(2026, 5, 4, 9, 30, tzinfo=dt.UTC), tick=False)
def test_a_phone_clock_far_ahead_is_said_next_to_when_it_started(web, patient):
    """A start counted back from a tap in the future is refused where the patient can see it and act."""
    response = web.post("/log/", form_data(when="5", tapped_at="2026-05-04T12:00:00+00:00"))
    assert response.status_code == 400
    page = response.content.decode()
    error = page[page.index('id="when-error"') :][:300]
    assert "can&#x27;t be in the future" in error and "Choose “Earlier” and give the date and time" in error
    assert not Episode.objects.exists()


def test_a_number_left_in_others_box_is_not_what_was_chosen(web, patient):
    response = web.post("/log/", form_data(duration="15", duration_custom="99999"))
    assert response.status_code == 302 and patient.episodes.get().duration_minutes == 15


def test_a_line_break_in_the_notes_is_one_character_as_the_counter_says(web, patient):
    """A browser sends a box's line breaks as CR LF; the counter (logform.js) sees one character for each, and so
    does the server: 1,991 characters and 9 line breaks are 2,000, and are kept with plain line breaks."""
    typed = "\n".join(["x" * 199] * 10) + "x"
    assert len(typed) == 2000
    response = web.post("/log/", form_data(notes=typed.replace("\n", "\r\n")))
    assert response.status_code == 302, response.content.decode()[:500]
    assert patient.episodes.get().notes == typed
