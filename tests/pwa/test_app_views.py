"""The service worker, the manifest, the offline page, the shortcut's landing page and turning push on and off."""

import datetime as dt
import json
import re
import struct
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders

from diary import services
from pwa import shell, views
from pwa.models import PushSubscription
from tests.pwa.pushservice import Browser, b64url


def subscription_json(endpoint: str = "https://fcm.googleapis.com/fcm/send/send/abc") -> dict[str, Any]:
    browser = Browser()
    return {"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": b64url(browser.auth)}}


def post_json(client, url: str, body: object):
    return client.post(url, json.dumps(body), content_type="application/json")


def worker_config(text: str) -> dict[str, Any]:
    """The constants the view rendered into the worker, read back from its one JSON object."""
    found = re.search(r"^const CONFIG = (.*);$", text, re.MULTILINE)
    assert found
    config: dict[str, Any] = json.loads(found.group(1))
    return config


def test_the_service_worker_is_served_from_the_root_uncached_with_the_shell_by_version(client, settings):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    text = response.content.decode()
    config = worker_config(text)
    shell = config["shell"]
    for path in ("/static/css/app.css", "/static/js/bundle/util_queue_pwa_localtime.js", "/static/icons/icon-192.png"):
        assert path in shell
    assert "/static/js/offline.js" in shell  # for a page kept from before the scripts were joined
    assert not any("LICENSE" in p for p in shell)
    # The diary's pages, then those the apps ask for through diary.hooks.keep_offline (the questionnaire's).
    assert config["pages"] == ["/", "/log/", "/history/", "/trends/", "/questionnaires/mnsi-history/"]
    assert re.fullmatch(r"[0-9a-f]{16}", config["version"])
    assert "{{" not in text and "{%" not in text


def test_the_service_workers_constants_come_from_the_view_as_one_json_object(client):
    text = client.get("/sw.js").content.decode()
    assert worker_config(text) == views.worker_config()
    assert worker_config(text)["session_url"] == "/app/session.json"
    assert worker_config(text)["patient_header"] == "X-Diary-Patient"
    # The template holds no constant of its own: no cache name or version, URL, header or timeout.
    template = shell.worker_source().read_text()
    assert re.findall(r"\{\{.*?\}\}", template) == ["{{ config|safe }}"]
    assert not re.search(r"[0-9a-f]{16}|shell-|pages-|/static/|/app/|session\.json|X-Diary|\b[0-9]{4,}\b", template)


def test_the_workers_json_cannot_end_a_script_or_a_string_early():
    text = views.script_json({"label": "</script><!-- & \u2028 \u2029"})
    assert json.loads(text) == {"label": "</script><!-- & \u2028 \u2029"}
    assert not set("<>&\u2028\u2029") & set(text)


def test_the_shell_version_changes_when_a_shell_file_changes(client, settings, tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "extra.css").write_text("a { color: red }")
    settings.DEBUG = True
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]

    def version() -> str:
        version: str = worker_config(client.get("/sw.js").content.decode())["version"]
        return version

    before = version()
    (tmp_path / "css" / "extra.css").write_text("a { color: blue }")
    assert version() != before


def test_the_manifest_makes_an_installable_app_with_both_shortcuts(client, db):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/" and manifest["scope"] == "/"
    icons = {(i["sizes"], i["type"], i["purpose"]) for i in manifest["icons"]}
    assert {
        ("192x192", "image/png", "any"),
        ("512x512", "image/png", "any"),
        ("512x512", "image/png", "maskable"),
    } <= icons
    for icon in manifest["icons"]:
        found = finders.find(icon["src"].removeprefix("/static/"))
        assert found, icon["src"]
        path = Path(found)
        if icon["type"] == "image/png":  # the PNG header's width and height are the declared size
            width, height = struct.unpack(">II", path.read_bytes()[16:24])
            assert f"{width}x{height}" == icon["sizes"]
    assert [(s["name"], s["url"]) for s in manifest["shortcuts"]] == [
        ("Log numbness", "/log/"),
        ("No numbness today", "/today/no-numbness/"),
    ]


def test_every_page_links_the_manifest_icons_and_theme_colours(web):
    html = web.get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'rel="apple-touch-icon"' in html
    assert 'media="(prefers-color-scheme: dark)"' in html and 'media="(prefers-color-scheme: light)"' in html
    assert 'id="queue-chip"' in html and 'id="install-hint"' in html


def test_the_no_numbness_shortcut_lands_on_a_one_tap_check_in(web, patient):
    page = web.get("/today/no-numbness/")
    assert page.status_code == 200
    assert 'action="/checkin/none/"' in page.content.decode()
    web.post("/checkin/none/")
    assert patient.checkins.get().numbness_today is False


def test_the_shortcut_asks_a_signed_out_visitor_to_log_in(client):
    assert client.get("/today/no-numbness/")["Location"].startswith("/accounts/login/")


def test_the_offline_page_holds_nobodys_data(web, patient):
    html = web.get("/offline/").content.decode()
    assert "No connection" in html
    assert patient.username not in html and "data-patient" not in html


def test_pages_say_whose_they_are_to_the_service_worker(web, client, patient):
    assert web.get("/")["X-Diary-Patient"] == str(patient.pk)
    web.logout()
    assert "X-Diary-Patient" not in web.get("/accounts/login/")


def test_the_session_state_gives_the_patient_and_a_csrf_token(web, patient):
    state = web.get("/app/session.json")
    assert state.json()["patient"] == patient.pk and state.json()["csrf"]
    assert "no-store" in state["Cache-Control"]
    web.logout()
    assert web.get("/app/session.json").json() == {"patient": None, "csrf": ""}


def test_turning_notifications_on_and_off_for_this_device(web, patient):
    body = subscription_json()
    assert post_json(web, "/push/subscribe/", body).json() == {"subscribed": True}
    assert post_json(web, "/push/subscribe/", body).status_code == 200  # again: still one row
    subscription = PushSubscription.objects.get()
    assert subscription.patient == patient and subscription.p256dh == body["keys"]["p256dh"]
    assert post_json(web, "/push/unsubscribe/", {"endpoint": body["endpoint"]}).json() == {"subscribed": False}
    assert not PushSubscription.objects.exists()


def test_logging_out_turns_notifications_off_for_this_device(web, patient):
    post_json(web, "/push/subscribe/", subscription_json("https://fcm.googleapis.com/fcm/send/this-phone"))
    PushSubscription.objects.create(
        patient=patient, endpoint="https://fcm.googleapis.com/fcm/send/other-phone", p256dh="x", auth="y"
    )
    web.post("/accounts/logout/")
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        "https://fcm.googleapis.com/fcm/send/other-phone"
    ]


def test_signing_out_everywhere_turns_notifications_off_on_every_device_of_the_patient_only(
    web, patient, other_patient
):
    post_json(web, "/push/subscribe/", subscription_json("https://fcm.googleapis.com/fcm/send/this-phone"))
    for who, phone in ((patient, "lost-phone"), (other_patient, "bobs-phone")):
        PushSubscription.objects.create(
            patient=who, endpoint=f"https://fcm.googleapis.com/fcm/send/{phone}", p256dh="x", auth="y"
        )
    services.change_settings(patient=patient, reminder_time=dt.time(21, 0))
    patient.email = ""
    patient.save(update_fields=["email"])
    page = web.post("/settings/sign-out-everywhere/", follow=True).content.decode()
    # The lost phone, signed out, gets no more of the patient's notifications; their reminders, with no email address
    # to go to, go nowhere until they turn notifications on again, and the page says so.
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        "https://fcm.googleapis.com/fcm/send/bobs-phone"
    ]
    assert "notifications are off on every device" in page
    assert "your daily reminder has nowhere to go: it needs notifications on or an email address" in page


def test_signing_out_everywhere_says_nothing_of_a_reminder_that_has_an_email_address(web, patient):
    services.change_settings(patient=patient, reminder_time=dt.time(21, 0))
    assert patient.email  # the reminder goes by email
    page = web.post("/settings/sign-out-everywhere/", follow=True).content.decode()
    assert "notifications are off on every device" in page and "nowhere to go" not in page


def test_a_bad_subscription_names_the_field_and_saves_nothing(web):
    good = subscription_json()
    cases = {
        "endpoint": {**good, "endpoint": "not a url"},
        "p256dh": {**good, "keys": {**good["keys"], "p256dh": "AAAA"}},
        "auth": {**good, "keys": {**good["keys"], "auth": "!!!"}},
    }
    for field, body in cases.items():
        response = post_json(web, "/push/subscribe/", body)
        assert response.status_code == 400
        assert field in response.json()["errors"]
    response = web.post("/push/subscribe/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "JSON parse error" in response.json()["errors"]["__all__"][0]["message"]
    assert post_json(web, "/push/unsubscribe/", {}).status_code == 400
    assert not PushSubscription.objects.exists()


def test_a_patient_cannot_turn_off_another_patients_device(client, patient, other_patient):
    alice = "https://fcm.googleapis.com/fcm/send/alice"
    PushSubscription.objects.create(patient=patient, endpoint=alice, p256dh="x", auth="y")
    client.force_login(other_patient)
    post_json(client, "/push/unsubscribe/", {"endpoint": alice})
    assert PushSubscription.objects.filter(patient=patient).count() == 1


def test_signed_out_visitors_cannot_subscribe(client, db):
    response = post_json(client, "/push/subscribe/", subscription_json())
    assert response.status_code == 302 and not PushSubscription.objects.exists()


def test_settings_offer_notifications_with_the_public_key(web, vapid_keys):
    html = web.get("/settings/").content.decode()
    assert f'data-vapid-key="{vapid_keys.public}"' in html
    assert "Notifications on this phone" in html
