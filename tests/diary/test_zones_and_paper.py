"""Locale from the phone: the curated time-zone list (canonical places by region, old aliases kept working for
profiles that have one), the report's paper from the patient's country, and every password rule in one round."""

import pytest
from django.utils.html import strip_tags

from diary import zones
from diary.models import Profile
from tests.conftest import scripts_run_by


def test_the_list_holds_places_not_aliases():
    names = {name for _, choices in zones.zone_choices() for name, _ in choices}
    assert {"America/Chicago", "Europe/Berlin", "Asia/Tokyo", "America/Argentina/Buenos_Aires", "UTC"} <= names
    assert not names & {"Factory", "W-SU", "US/Eastern", "Etc/GMT+5", "GB", "Asia/Calcutta", "EST5EDT"}
    assert 350 < len(names) < 450  # one per place of zone.tab, not ~600 names
    regions = [group for group, _ in zones.zone_choices()]
    assert regions[:3] == ["Africa", "America", "Antarctica"] and regions[-1] == zones.OTHER
    chicago = dict(dict(zones.zone_choices())["America"])["America/Chicago"]
    assert chicago == "Chicago, United States – Central (most areas)"


@pytest.mark.parametrize(
    "zone, accept, paper",
    [
        ("America/Chicago", "", "letter"),
        ("America/Toronto", "", "letter"),
        ("America/Mexico_City", "", "letter"),
        ("Asia/Manila", "", "letter"),
        ("Europe/Berlin", "en-US", "a4"),  # the patient's country decides, not the browser's language
        ("Asia/Tokyo", "", "a4"),
        ("UTC", "en-US,en;q=0.9", "letter"),  # no country in the zone: the browser's
        ("UTC", "de-DE", "a4"),
        ("UTC", "en", "a4"),
    ],
)
def test_paper_follows_the_patients_country(zone, accept, paper):
    assert zones.paper_for(zone, accept) == paper


def test_the_report_page_offers_letter_first_in_chicago(web, patient):
    Profile.objects.filter(user=patient).update(timezone="America/Chicago")
    page = web.get("/report/").content.decode()
    assert page.index('value="letter">PDF (US Letter)') < page.index('value="a4">PDF (A4)')
    assert 'class="button primary" formaction="/report/download/pdf/' in page.split('value="letter"')[0][-200:]


def test_the_report_page_offers_a4_first_in_berlin(web, patient):
    Profile.objects.filter(user=patient).update(timezone="Europe/Berlin")
    page = web.get("/report/").content.decode()
    assert page.index('value="a4">PDF (A4)') < page.index('value="letter">PDF (US Letter)')


def test_a_profile_with_an_old_alias_keeps_it(web, patient):
    Profile.objects.filter(user=patient).update(timezone="W-SU")
    page = web.get("/settings/").content.decode()
    assert '<optgroup label="Your current zone">' in page and '<option value="W-SU" selected>W-SU</option>' in page
    response = web.post(
        "/settings/", {"timezone": "W-SU", "emergency_number": "112", "display_name": "", "email": "a@example.org"}
    )
    assert response.status_code == 302
    assert Profile.objects.get(user=patient).timezone == "W-SU"


def test_signup_accepts_the_phones_old_name_for_its_zone(client, db):
    """Chromium names India's zone "Asia/Calcutta"; the list says "Asia/Kolkata". Both are the same zone."""
    refused = client.post("/accounts/signup/", {"username": "x", "timezone": "Mars/Olympus"})
    assert 'id="timezone-error"' in refused.content.decode()
    response = client.post(
        "/accounts/signup/",
        {"username": "ravi", "password1": "correct-horse-battery", "password2": "correct-horse-battery",
         "timezone": "Asia/Calcutta"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Profile.objects.get(user__username="ravi").timezone == "Asia/Calcutta"


def test_every_password_rule_is_checked_in_one_round(client, db):
    response = client.post(
        "/accounts/signup/",
        {"username": "maria", "password1": "maria12", "password2": "maria13", "timezone": "UTC"},
    )
    text = strip_tags(response.content.decode())
    assert "The two password fields didn’t match." in text
    assert "This password is too short" in text  # not held back for a second round
    assert "too similar to the username" in text
    page = response.content.decode()
    assert 'aria-describedby="password-rules password1-error" aria-invalid="true"' in page
    assert "data-focus-error" in page and {"password", "focus"} <= set(scripts_run_by(page))
