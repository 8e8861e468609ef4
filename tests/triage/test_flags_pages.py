"""The Flags page, the Today banner, the flags API, and another patient's flags."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from diary.clock import day_words
from tests.conftest import log
from triage.review import review_patient


@pytest.fixture
def flagged(patient):
    # Noon in the patient's zone today, whatever the host's clock zone: yesterday … five days ago.
    start = timezone.localtime(timezone=patient.profile.zone).replace(hour=12, minute=0, second=0, microsecond=0)
    episodes = [log(patient, started_at=start - dt.timedelta(days=n), triggers=["injury"]) for n in (1, 2, 3, 4, 5)]
    review_patient(patient.pk)
    return episodes


def patient_zone(episodes):
    return episodes[0].patient.profile.zone


def test_today_shows_a_banner_when_a_flag_is_open(web, flagged):
    page = web.get("/").content.decode()
    assert "2 warning signs to read" in page  # urgent.injury and pattern.persistent


def test_flags_page_shows_message_numbers_episodes_and_sources(web, flagged):
    page = web.get("/flags/").content.decode()
    assert "Numbness after an injury" in page
    first = day_words(timezone.localtime(flagged[-1].started_at, patient_zone(flagged)).date())  # five days ago
    assert f"5 episodes with: An injury or fall (the first started {first})." in page
    assert (
        "Numbness on 5 of the last 14 days, not counting episodes brought on by a position that moving eased within "
        "15 minutes (5 or more is the threshold)." in page
    )
    assert f"/episodes/{flagged[0].id}/edit/" in page
    based_on = page[page.index("Based on: ") : page.index("Background reading: ")]
    assert 'href="https://www.health.harvard.edu/decision_guide/numbness-or-tingling"' in based_on
    background = page[page.index("Background reading: ") :]
    assert (
        "<cite>What Causes Numbness in the Legs? Understanding the Basics</cite> (web article, publisher not named)"
        in background
    )
    assert "source 00" not in page
    assert "not a diagnosis" in page
    assert page.count("I've read this") == 2


def test_acknowledging_moves_the_flag_out_of_the_banner(web, patient, flagged):
    flag = patient.flags.get(code="urgent.injury")
    web.post(f"/flags/{flag.id}/acknowledge/")
    flag.refresh_from_db()
    assert flag.status == "acknowledged"
    assert "1 warning sign to read" in web.get("/").content.decode()


def test_resolved_flags_stay_visible_in_the_history(web, patient, flagged):
    from triage.services import acknowledge

    acknowledge(patient.flags.get(code="urgent.injury"))
    later = timezone.localdate(timezone=patient.profile.zone) + dt.timedelta(days=20)
    review_patient(patient.pk, later)  # the episodes left the window
    page = web.get("/flags/").content.decode()
    assert "Earlier warning signs" in page and page.count("No longer seen since") == 2
    assert "withdrawn" not in page


def test_flags_api_lists_and_acknowledges(api, patient, flagged):
    listed = api.get("/api/v1/flags/", {"status": "open"}).json()
    assert sorted(f["code"] for f in listed) == ["pattern.persistent", "urgent.injury"]
    injury = next(f for f in listed if f["code"] == "urgent.injury")
    first = day_words(timezone.localtime(flagged[-1].started_at, patient_zone(flagged)).date())
    assert injury["reasons"] == [f"5 episodes with: An injury or fall (the first started {first})."]
    acked = api.post(f"/api/v1/flags/{injury['id']}/acknowledge/").json()
    assert acked["status"] == "acknowledged"


def test_another_patient_cannot_see_or_acknowledge_flags(client, other_patient, patient, flagged):
    flag = patient.flags.first()
    client.force_login(other_patient)
    assert client.post(f"/flags/{flag.id}/acknowledge/").status_code == 404
    assert "Numbness after an injury" not in client.get("/flags/").content.decode()
    bob = APIClient()
    bob.force_authenticate(other_patient)
    assert bob.get(f"/api/v1/flags/{flag.id}/").status_code == 404
    assert bob.post(f"/api/v1/flags/{flag.id}/acknowledge/").status_code == 404
    assert bob.get("/api/v1/flags/").json() == []
    flag.refresh_from_db()
    assert flag.status == "open"
