"""The warning screen as a page of its own, and the Today banner coloured by the most serious open flag."""

import datetime as dt
import re

from tests.conftest import log, scripts_run_by
from tests.diary.test_log_episode import form_data
from triage.review import review_patient


def without_csrf(page: str) -> str:
    """The page without its form tokens, which differ on every rendering."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def save(web, **fields):
    return web.post("/log/", form_data(**fields))


def test_a_save_that_matches_an_emergency_sign_lands_on_its_page_and_a_reload_shows_it_again(web, patient):
    response = save(web, alarm_symptoms=["speech_difficulty"])
    episode = patient.episodes.get()
    assert response.status_code == 302 and response["Location"].startswith(f"/alert/{episode.id}/")
    first = web.get(response["Location"])
    page = first.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    assert without_csrf(main) in without_csrf(web.get(response["Location"]).content.decode())  # a reload: the same
    assert "no-store" in first["Cache-Control"]
    assert 'id="alert-screen-title" tabindex="-1" data-focus-on-load' in page and 'role="alert"' in page
    assert "Act now" in page and "Possible signs of a stroke" in page
    assert f'href="tel:{patient.profile.emergency_number}"' in page
    assert "focus" in scripts_run_by(page)


def test_the_json_reply_names_the_page(web, patient):
    reply = web.post("/log/", form_data(alarm_symptoms=["leg_pale_cold"]), HTTP_ACCEPT="application/json").json()
    episode = patient.episodes.get()
    assert reply["alert_url"] == f"/alert/{episode.id}/?sign=emergency.blood_clot"
    assert reply["next"] == reply["alert_url"]
    plain = web.post("/log/", form_data(), HTTP_ACCEPT="application/json").json()
    assert plain["alert_url"] is None and plain["next"] == "/"


def test_an_urgent_sign_has_no_call_button(web, patient):
    response = save(web, triggers=["injury"])
    page = web.get(response["Location"]).content.decode()
    assert "See a doctor today" in page and "Numbness after an injury" in page and "tel:" not in page


def test_the_page_of_an_ordinary_episode_goes_to_today(web, patient):
    episode = log(patient)
    assert web.get(f"/alert/{episode.id}/").headers["Location"] == "/"


def test_another_patients_warning_screen_is_not_found(client, patient, other_patient):
    episode = log(other_patient, symptoms=["speech_difficulty"])
    client.force_login(patient)
    assert client.get(f"/alert/{episode.id}/").status_code == 404


def test_sign_narrows_the_screen_and_a_stale_sign_shows_them_all(web, patient):
    episode = log(patient, symptoms=["speech_difficulty", "fainting"])
    both = web.get(f"/alert/{episode.id}/").content.decode()
    assert "Possible signs of a stroke" in both and "Breathlessness, chest pain or fainting" in both
    one = web.get(f"/alert/{episode.id}/?sign=emergency.breathing_or_fainting").content.decode()
    assert "Possible signs of a stroke" not in one and "Breathlessness, chest pain or fainting" in one
    stale = web.get(f"/alert/{episode.id}/?sign=urgent.injury").content.decode()
    assert "Possible signs of a stroke" in stale


def test_the_banner_takes_the_most_serious_open_level_with_a_call_button(web, patient):
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=6)
    for n in range(5):  # a pattern (see a doctor) that sorts first by date
        log(patient, started_at=start + dt.timedelta(days=n))
    stroke = log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(hours=2), symptoms=["speech_difficulty"])
    review_patient(patient.pk)
    levels = set(patient.flags.filter(status="open").values_list("level", flat=True))
    assert {"emergency", "see_doctor"} <= levels
    page = web.get("/").content.decode()
    assert 'class="flag-banner level-emergency"' in page
    assert f'href="tel:{patient.profile.emergency_number}"' in page
    assert f'href="/alert/{stroke.id}/"' in page and "Open the emergency screen" in page


def test_an_urgent_banner_links_its_screen_without_a_call_button(web, patient):
    injury = log(patient, triggers=["injury"])
    review_patient(patient.pk)
    page = web.get("/").content.decode()
    assert 'class="flag-banner level-urgent"' in page and "tel:" not in page
    assert f'href="/alert/{injury.id}/"' in page


def test_an_urgent_pattern_banner_links_no_episodes_screen(web, patient):
    """Climbing in both legs over a week is urgent but no one episode's: no episode's screen shows it (/alert/
    answered with a way back to Today), so the banner offers the Flags page only."""
    now = dt.datetime.now(dt.UTC)
    log(patient, now - dt.timedelta(days=3), locations=[("left", "toes"), ("right", "toes")])
    later = log(patient, now - dt.timedelta(hours=2), locations=[("left", "calf"), ("right", "calf")])
    review_patient(patient.pk)
    assert patient.flags.filter(code="urgent.ascending", status="open").exists()
    page = web.get("/").content.decode()
    assert 'class="flag-banner level-urgent"' in page and 'href="/flags/"' in page
    assert "/alert/" not in page and "What to do today" not in page
    assert web.get(f"/alert/{later.id}/").status_code == 302  # what the banner linked to


def test_without_open_flags_the_banner_says_nothing_is_open(web, patient):
    assert "nothing open" in web.get("/").content.decode()


def test_a_stroke_sign_logged_a_day_late_keeps_the_urgent_screen_on_reload(web, patient):
    episode = log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3), symptoms=["arm_weakness"])
    page = web.get(f"/alert/{episode.id}/").content.decode()
    assert "See a doctor today" in page and "Signs of a stroke that have passed" in page
    assert 'href="tel:' not in page


def test_a_late_stroke_entry_banner_says_see_a_doctor_today_without_a_call_button(web, patient):
    episode = log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3), symptoms=["arm_weakness"])
    review_patient(patient.pk)
    assert patient.flags.filter(status="open", level="emergency").exists()
    page = web.get("/").content.decode()
    assert 'class="flag-banner level-urgent"' in page and 'href="tel:' not in page
    assert f'href="/alert/{episode.id}/"' in page and "What to do today" in page
