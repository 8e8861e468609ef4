"""Push subscriptions can't be taken over or pointed anywhere but a push service, and odd bodies get a 4xx."""

import json

import pytest

from pwa.forms import endpoint_problem
from pwa.models import PushSubscription
from tests.pwa.test_app_views import post_json, subscription_json

FCM = "https://fcm.googleapis.com/fcm/send/dXJ0aGVyZQ:APA91b"


def keys_of(body):
    return body["keys"]["p256dh"], body["keys"]["auth"]


def stored(patient, body):
    p256dh, auth = keys_of(body)
    return PushSubscription.objects.create(patient=patient, endpoint=body["endpoint"], p256dh=p256dh, auth=auth)


def test_another_patients_endpoint_without_its_keys_is_refused_and_stays_theirs(client, patient, other_patient):
    theirs = subscription_json(FCM)
    stored(patient, theirs)
    client.force_login(other_patient)
    response = post_json(client, "/push/subscribe/", subscription_json(FCM))  # same endpoint, the attacker's keys
    assert response.status_code == 409
    assert "another account" in response.json()["errors"]["endpoint"][0]["message"]
    row = PushSubscription.objects.get()
    assert (row.patient, row.p256dh, row.auth) == (patient, *keys_of(theirs))


def test_the_same_browser_signed_in_to_another_account_moves_it_and_says_so(client, patient, other_patient):
    browser = subscription_json(FCM)
    stored(patient, browser)
    client.force_login(other_patient)
    response = post_json(client, "/push/subscribe/", browser)  # the keys prove it is that browser
    assert response.status_code == 200 and response.json() == {"subscribed": True, "moved": True}
    assert PushSubscription.objects.get().patient == other_patient


def test_a_patient_renewing_their_own_subscription_gets_the_new_keys(web, patient):
    post_json(web, "/push/subscribe/", subscription_json(FCM))
    renewed = subscription_json(FCM)
    assert post_json(web, "/push/subscribe/", renewed).json() == {"subscribed": True}
    row = PushSubscription.objects.get()
    assert (row.patient, row.p256dh, row.auth) == (patient, *keys_of(renewed))


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAA",
        "https://web.push.apple.com/QGuQyavXutnMH",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
        "https://FCM.googleapis.com./fcm/send/abc",  # case and a trailing dot are the same host
    ],
)
def test_the_known_push_services_are_accepted(web, endpoint):
    assert endpoint_problem(endpoint) is None
    assert post_json(web, "/push/subscribe/", subscription_json(endpoint)).status_code == 200


@pytest.mark.parametrize(
    "endpoint, problem",
    [
        ("http://fcm.googleapis.com/fcm/send/abc", "must be an https address"),
        ("https://127.0.0.1:6379/", "not an IP address"),
        ("https://169.254.169.254/latest/meta-data/", "not an IP address"),
        ("https://[::1]/x", "not an IP address"),
        ("https://10.0.0.1/internal", "not an IP address"),
        ("https://2130706433/", "not a push service"),  # 127.0.0.1 as a number is no allowed host either
        ("https://fcm.googleapis.com:6379/x", "plain https address"),
        ("https://user:pw@fcm.googleapis.com/x", "plain https address"),
        ("https://fcm.googleapis.com.evil.example/x", "not a push service"),
        ("https://evilfcm.googleapis.com/x", "not a push service"),
        ("https://notify.windows.com/x", "not a push service"),  # "*.x" is subdomains only
        ("https://push.example.net/send/abc", "not a push service"),
    ],
)
def test_other_addresses_are_refused_naming_the_field(web, endpoint, problem):
    assert problem in (endpoint_problem(endpoint) or "")
    response = post_json(web, "/push/subscribe/", subscription_json(endpoint))
    assert response.status_code == 400
    assert "endpoint" in response.json()["errors"]
    assert not PushSubscription.objects.exists()


def test_the_allow_list_is_a_setting(web, settings):
    settings.PUSH_SERVICE_HOSTS = ["push.clinic.example"]
    assert post_json(web, "/push/subscribe/", subscription_json("https://push.clinic.example/s/1")).status_code == 200
    assert post_json(web, "/push/subscribe/", subscription_json(FCM)).status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        '{"endpoint": "https://fcm.googleapis.com/x\\u0000y"}',  # NUL: PostgreSQL can't store it
        '{"endpoint": 0}',
        '{"endpoint": ["https://fcm.googleapis.com/x"]}',
        "[]",
        '"https://fcm.googleapis.com/x"',
    ],
)
def test_odd_unsubscribe_bodies_are_a_400_naming_the_endpoint(web, body):
    response = web.post("/push/unsubscribe/", body, content_type="application/json")
    assert response.status_code == 400 and "endpoint" in response.json()["errors"]


def test_a_nul_in_the_subscribe_endpoint_is_a_400(web):
    body = subscription_json(FCM + "\x00")
    response = post_json(web, "/push/subscribe/", body)
    assert response.status_code == 400 and "endpoint" in response.json()["errors"]


@pytest.mark.parametrize("url", ["/push/subscribe/", "/push/unsubscribe/"])
def test_deeply_nested_json_is_a_400_from_the_bounded_parser(web, url):
    response = web.post(url, "[" * 4000 + "]" * 4000, content_type="application/json")
    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["errors"]["__all__"][0]["message"]


@pytest.mark.parametrize("url", ["/push/subscribe/", "/push/unsubscribe/"])
def test_a_body_larger_than_a_subscription_is_a_413(web, url):
    body = json.dumps({"endpoint": FCM, "padding": "x" * 10_000})
    response = web.post(url, body, content_type="application/json")
    assert response.status_code == 413 and not PushSubscription.objects.exists()


def test_a_stored_subscription_outside_the_push_services_is_dropped_by_the_migration(db, patient):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pwa.migrations.0002_drop_subscriptions_outside_push_services")
    for endpoint in ("https://169.254.169.254/", FCM):
        stored(patient, subscription_json(endpoint))
    migration.drop_unknown_endpoints(apps, None)
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [FCM]
