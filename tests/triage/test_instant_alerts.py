"""Saving an alarming episode shows what to do at once, from the form and the API, with Redis down too."""

import datetime as dt
import uuid

import pytest
from rest_framework.test import APIClient

from config.celery import app as celery_app
from tests.conftest import episode_json, use_broker
from tests.diary.test_log_episode import form_data


def test_form_save_with_slurred_speech_shows_the_emergency_screen(web, patient):
    patient.profile.emergency_number = "999"
    patient.profile.save()
    response = web.post("/log/", form_data(alarm_symptoms=["speech_difficulty"]))
    episode = patient.episodes.get()
    # A page of its own, so a reload shows it again.
    assert response.status_code == 302
    assert response["Location"] == f"/alert/{episode.id}/?sign=emergency.stroke_signs"
    page = web.get(response["Location"]).content.decode()
    assert "Possible signs of a stroke" in page
    assert 'href="tel:999"' in page and "Call 999 now" in page
    assert "You logged: Slurred or difficult speech." in page
    assert "This is not a diagnosis" in page
    based_on = page[page.index("Based on: ") : page.index("Background reading: ")]
    assert based_on.startswith(
        'Based on: <a href="https://www.nhs.uk/conditions/stroke/symptoms/" rel="noopener noreferrer">'
        "Stroke: symptoms</a> (NHS);"
    )
    assert '<a href="https://www.healthdirect.gov.au/stroke" rel="noopener noreferrer">Stroke</a>' in based_on
    assert "<cite>Numbness in the legs (medically reviewed 2025)</cite> (iLive)" in page[page.index("Background") :]
    assert "source 000" not in page
    assert patient.episodes.count() == 1


def test_urgent_signs_show_a_see_a_doctor_today_screen_without_a_call_button(web, patient):
    page = web.post(
        "/log/", form_data(triggers=["injury"], alarm_symptoms=["leg_swollen"]), follow=True
    ).content.decode()
    assert "Numbness after an injury" in page and "Swollen leg with numbness" in page
    assert "looked at by a doctor today" in page
    assert "tel:" not in page


def test_ordinary_episode_goes_back_to_today(web):
    assert web.post("/log/", form_data()).status_code == 302


def test_api_save_response_carries_the_alerts(api, patient):
    body = api.put(
        f"/api/v1/episodes/{uuid.uuid4()}/", episode_json(symptoms=["bladder_bowel_control"]), format="json"
    ).json()
    [alert] = body["alerts"]
    assert alert["code"] == "emergency.spinal_cord" and alert["level"] == "emergency"
    assert alert["matched"] == ["Can't control bladder or bowel"]
    assert alert["emergency_number"] == patient.profile.emergency_number
    assert [s["id"] for s in alert["sources"]] == ["nhs-cauda-equina", "healthdirect-sciatica", "000", "001"]
    assert alert["sources"][0] == {
        "id": "nhs-cauda-equina",
        "title": "Cauda equina syndrome",
        "publisher": "NHS",
        "url": "https://www.nhs.uk/conditions/cauda-equina-syndrome/",
        "background": False,
    }
    assert alert["sources"][3]["publisher"] == "iLive" and alert["sources"][3]["background"]


@pytest.fixture
def redis_stopped(settings):
    """Broker and cache point at a port where nothing listens, as when Redis is down."""
    dead = "redis://127.0.0.1:9/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": dead,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    use_broker(dead)


@pytest.mark.django_db(transaction=True)
def test_emergency_advice_and_the_save_do_not_need_redis(redis_stopped, client):
    from tests.conftest import make_patient

    patient = make_patient("rhea")
    client.force_login(patient)
    response = client.post("/log/", form_data(alarm_symptoms=["paralysis"]), follow=True)
    assert response.status_code == 200
    assert "Possible signs of a stroke" in response.content.decode()
    assert patient.episodes.count() == 1  # committed even though no review could be queued
    # The flag opened with the save: Today, Flags and the report show it with no worker and no Redis.
    assert patient.flags.get().status == "open"
    today = client.get("/").content.decode()
    assert 'class="flag-banner level-emergency"' in today and "Possible signs of a stroke" in today
    assert "Possible signs of a stroke" in client.get("/flags/").content.decode()
    api = APIClient()
    api.force_authenticate(patient)
    started = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat()
    body = episode_json(symptoms=["chest_pain"], started_at=started)
    reply = api.put(f"/api/v1/episodes/{uuid.uuid4()}/", body, format="json")
    assert reply.status_code == 201 and reply.json()["alerts"][0]["code"] == "emergency.breathing_or_fainting"
    assert sorted(patient.flags.values_list("code", flat=True)) == [
        "emergency.breathing_or_fainting",
        "emergency.stroke_signs",
    ]


def test_editing_an_alarming_episode_alerts_only_on_what_the_edit_adds(web, patient):
    data = form_data(alarm_symptoms=["speech_difficulty"])
    assert "Possible signs of a stroke" in web.post("/log/", data, follow=True).content.decode()
    episode = patient.episodes.get()
    edit = data | {"when": "earlier", "started_at": "2026-01-05T10:00", "duration": "custom", "duration_custom": "25"}
    assert web.post(f"/episodes/{episode.id}/edit/", edit).status_code == 302  # a correction: no screen again
    worse = edit | {"alarm_symptoms": ["speech_difficulty", "fainting"]}
    page = web.post(f"/episodes/{episode.id}/edit/", worse, follow=True).content.decode()
    assert "Breathlessness, chest pain or fainting" in page and "Possible signs of a stroke" not in page
