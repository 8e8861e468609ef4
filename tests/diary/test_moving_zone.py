"""A patient who moves to another time zone: the warning screens' number follows, unless it is one they chose, and a
review runs, so that the flags say their days and times in the new zone. Each story worked out by hand from
diary/models.py's EMERGENCY_NUMBERS (London 999, New York 911, Tokyo 119, Rome 112)."""

from django.contrib.auth.models import User

from diary import services
from tests.conftest import make_patient
from triage.tasks import request_review


def settings_form(patient, **changes):
    profile = patient.profile
    form = {"timezone": profile.timezone, "emergency_number": profile.emergency_number, "email": patient.email}
    return form | changes


def test_the_usual_number_of_the_old_zone_becomes_the_new_zones_and_the_page_says_so(client, db):
    patient = make_patient("june", tz="Europe/London", emergency_number="999")  # as sign-up in London stores it
    client.force_login(patient)
    response = client.post("/settings/", settings_form(patient, timezone="America/New_York"), follow=True)
    patient.profile.refresh_from_db()
    assert (patient.profile.timezone, patient.profile.emergency_number) == ("America/New_York", "911")
    page = response.content.decode()
    assert "The warning screens now offer to call 911, the usual emergency number in your new time zone." in page


def test_a_number_of_the_patients_own_stays(client, db):
    patient = make_patient("rita", tz="Europe/Rome", emergency_number="118")  # not Rome's usual 112: chosen
    client.force_login(patient)
    response = client.post("/settings/", settings_form(patient, timezone="Europe/London"), follow=True)
    patient.profile.refresh_from_db()
    assert (patient.profile.timezone, patient.profile.emergency_number) == ("Europe/London", "118")
    assert "now offer to call" not in response.content.decode()


def test_a_number_given_with_the_move_is_the_one_kept(client, db):
    patient = make_patient("june", tz="Europe/London", emergency_number="999")
    client.force_login(patient)
    client.post("/settings/", settings_form(patient, timezone="America/New_York", emergency_number="112"))
    patient.profile.refresh_from_db()
    assert (patient.profile.timezone, patient.profile.emergency_number) == ("America/New_York", "112")


def test_the_api_moves_the_number_the_same_way(db):
    from rest_framework.test import APIClient

    patient = make_patient("kenji", tz="America/New_York", emergency_number="911")
    api = APIClient()
    api.force_authenticate(patient)
    moved = api.patch("/api/v1/profile/", {"timezone": "Asia/Tokyo"}, format="json")
    assert moved.status_code == 200 and moved.json()["emergency_number"] == "119"
    kept = api.patch("/api/v1/profile/", {"timezone": "Europe/London", "emergency_number": "110"}, format="json")
    assert kept.json()["emergency_number"] == "110"


def test_a_move_asks_for_a_review_and_a_save_in_the_same_zone_does_not(db, django_capture_on_commit_callbacks):
    patient = make_patient("june", tz="Europe/London", emergency_number="999")

    def reviews(**values):
        with django_capture_on_commit_callbacks() as callbacks:
            services.change_settings(patient=patient, **values)
        return [c.args for c in callbacks if getattr(c, "func", None) is request_review]

    assert reviews(display_name="June", timezone="Europe/London") == []
    assert reviews(timezone="Europe/Paris") == [(patient.pk,)]
    assert patient.profile.emergency_number == "112"  # London's 999 was the usual one there: Paris's now


def test_sign_up_and_an_import_keep_the_number_they_give(client, db):
    from diary.interchange import import_diary

    client.post(
        "/accounts/signup/",
        {
            "username": "maria",
            "password1": "correct-horse-battery",
            "password2": "correct-horse-battery",
            "timezone": "Europe/London",
            "emergency_number": "112",  # chosen over London's usual 999
        },
    )
    maria = User.objects.get(username="maria")
    assert (maria.profile.timezone, maria.profile.emergency_number) == ("Europe/London", "112")
    document = {"format": "numbness-diary/2", "profile": {"timezone": "America/New_York", "emergency_number": "999"}}
    import_diary(patient=maria, document=document)  # a file from a phone set up in London, now in New York
    maria.profile.refresh_from_db()
    assert (maria.profile.timezone, maria.profile.emergency_number) == ("America/New_York", "999")
