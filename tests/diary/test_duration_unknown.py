"""“Not sure” how long: the episode is over, no minutes are made up, and it is not “still going” anywhere.

Stored as Episode.duration_unknown with no minutes (DESIGN §3 keeps `duration_minutes` an int or null while
ongoing, and triage's "ongoing = no duration" keeps meaning still going). These tests follow one such
episode through the form, the API, Today, the nudges, triage, the report and the database constraint.
"""

import dataclasses
import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from diary import clock, reminders, services
from diary.facts import load_facts
from diary.models import Episode
from report.episodes import episode_row
from tests.conftest import log
from tests.diary.test_log_episode import form_data
from triage import detectors

NOW = dt.datetime(2026, 3, 18, 15, 0, tzinfo=dt.UTC)
ZONE = zoneinfo.ZoneInfo("Europe/London")


def not_sure(patient, started_at=NOW - dt.timedelta(hours=20), **codes) -> Episode:
    return services.save_episode(
        patient=patient,
        episode_id=uuid.uuid4(),
        started_at=started_at,
        duration_minutes=None,
        duration_unknown=True,
        severity=4,
        locations=[("left", "calf")],
        **codes,
    ).episode


@time_machine.travel(NOW, tick=False)
def test_the_form_saves_not_sure_without_minutes_and_edits_it_back(web, patient):
    web.post("/log/", form_data(duration="unknown", duration_custom="30"))  # a stale number in "Other" is ignored
    episode = patient.episodes.get()
    assert (episode.duration_minutes, episode.duration_unknown, episode.ongoing) == (None, True, False)
    page = web.get(f"/episodes/{episode.id}/edit/").content.decode()
    assert '<input type="radio" name="duration" value="unknown" id="id_duration_7" required checked>' in page
    assert "not sure how long" in web.get("/").content.decode()  # Today's list says so, not "still going"


@time_machine.travel(NOW, tick=False)
def test_no_duration_is_chosen_for_the_patient(web, patient):
    page = web.get("/log/").content.decode()
    assert "checked" not in page.split('id="field-duration"')[1].split("</fieldset>")[0]
    response = web.post("/log/", form_data(duration=""))
    assert response.status_code == 400 and "Choose how long it lasted, or “Not sure”." in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_not_sure_is_not_still_going_on_today_or_in_the_nudges(web, patient):
    not_sure(patient, started_at=NOW - dt.timedelta(hours=13))
    still = log(patient, started_at=NOW - dt.timedelta(hours=13), duration_minutes=None)
    page = web.get("/").content.decode()
    assert page.count("It stopped now") == 1
    reminders.nudge_still_going(NOW)
    assert list(Episode.objects.filter(still_going_nudged_at__isnull=False)) == [still]  # the other is over


def test_the_api_takes_and_gives_not_sure(api, patient):
    body = {
        "started_at": "2026-01-10T08:30:00Z",
        "duration_unknown": True,
        "severity": 4,
        "locations": [{"side": "left", "region": "calf"}],
    }
    created = api.post("/api/v1/episodes/", body, format="json")
    assert created.status_code == 201, created.json()
    episode = api.get(f"/api/v1/episodes/{created.json()['id']}/").json()
    assert (episode["duration_minutes"], episode["ongoing"], episode["duration_unknown"]) == (None, False, True)
    both = api.post("/api/v1/episodes/", body | {"duration_minutes": 10}, format="json")
    assert both.status_code == 400 and "duration_unknown" in both.json()
    neither = api.post("/api/v1/episodes/", body | {"duration_unknown": False}, format="json")
    assert neither.status_code == 400 and "duration_unknown if it is not known" in str(neither.json())
    # Giving the minutes later makes it known.
    patched = api.patch(f"/api/v1/episodes/{episode['id']}/", {"duration_minutes": 25}, format="json")
    assert patched.status_code == 200, patched.json()
    assert Episode.objects.get().duration_unknown is False and Episode.objects.get().duration_minutes == 25


def test_the_database_refuses_minutes_on_an_unknown_duration(patient):
    episode = not_sure(patient)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(id=episode.id).update(duration_minutes=10)


def test_the_one_check_constraint_is_the_one_the_service_checks_by_hand():
    # save_episode skips full_clean's constraint queries because it checks this rule itself: a constraint added
    # to Episode must be checked there too (or full_clean given it back), and this test be changed with it.
    assert [c.name for c in Episode._meta.constraints] == ["unknown_duration_has_no_minutes"]


def test_the_service_refuses_minutes_and_not_sure_together(patient):
    with pytest.raises(ValidationError):
        services.save_episode(
            patient=patient,
            episode_id=None,
            started_at=NOW,
            duration_minutes=10,
            duration_unknown=True,
            severity=1,
            locations=[("left", "toes")],
        )


@time_machine.travel(NOW, tick=False)
def test_triage_counts_no_duration_rule_for_it(patient):
    """Not long (persistent needs ≥ 30 known minutes) and not positional (needs a known ≤ 15): the literal rules."""
    moment = detectors.review_moment(NOW.astimezone(ZONE).date(), ZONE, NOW)
    episode = not_sure(patient, triggers=["sitting"])
    (facts,) = load_facts(patient, ZONE, None, NOW.astimezone(ZONE).date())
    assert facts.id == str(episode.id) and facts.duration_unknown and not facts.ongoing
    assert detectors.lasted(facts, moment) is None
    assert detectors.detect_persistent([facts], moment) is None
    as_ongoing = dataclasses.replace(facts, duration_unknown=False)  # what a bare null would have meant
    assert detectors.lasted(as_ongoing, moment) == dt.timedelta(hours=20)
    assert detectors.detect_persistent([as_ongoing], moment) is not None  # 20 h "still going": a false alarm
    eased = dataclasses.replace(facts, relieved_by=frozenset({"changed_position"}))
    assert not detectors.is_positional(eased, moment)  # "over within 15 minutes" is not known
    assert detectors.is_positional(dataclasses.replace(eased, duration_minutes=5, duration_unknown=False), moment)


def test_every_list_says_it_in_words(patient):
    episode = not_sure(patient)
    assert clock.episode_duration(episode.duration_minutes, episode.duration_unknown) == "not sure how long"
    assert clock.episode_duration(None) == "still going"
    facts = load_facts(patient, ZONE, None, dt.date(2030, 1, 1))
    assert episode_row(facts[0]).duration == "not known"
