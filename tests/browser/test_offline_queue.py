"""A save on a dropped connection is kept on the phone and sent, once, when the phone is back online."""

import pytest

from diary.models import Episode

pytestmark = pytest.mark.browser


def fill_log_form(phone) -> None:
    phone.goto("/log/")
    phone.locator('.region[data-location="left:heel"]').tap()
    phone.locator(".chips.severity label", has_text="5").first.click()


def test_entry_survives_a_dropped_connection_and_is_sent_once(phone, sign_in):
    patient = sign_in("olga")
    fill_log_form(phone)
    phone.context.set_offline(True)
    phone.click("button:has-text('Save')")
    status = phone.locator("#offline-status")
    status.wait_for()
    assert "saved on this phone" in status.inner_text()
    assert not Episode.objects.exists()
    queued = phone.evaluate("Object.keys(JSON.parse(localStorage.getItem('numbness-diary.queue')))")
    assert len(queued) == 1

    phone.click("button:has-text('Save')")  # a second tap while offline replaces, not adds
    assert len(phone.evaluate("Object.keys(JSON.parse(localStorage.getItem('numbness-diary.queue')))")) == 1

    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    for _ in range(100):  # wait_for_function would need eval, which the page's CSP forbids
        if phone.evaluate("localStorage.getItem('numbness-diary.queue')") == "{}":
            break
        phone.wait_for_timeout(100)
    episode = patient.episodes.get()
    assert str(episode.id) == queued[0]
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("left", "heel")]

    phone.goto("/")  # a later page load finds nothing left to send and sends nothing again
    phone.wait_for_load_state("networkidle")
    assert Episode.objects.count() == 1


def test_a_refused_entry_is_shown_with_its_errors(phone, sign_in):
    sign_in("omar")
    phone.goto("/log/")
    phone.locator(".chips.severity label", has_text="5").first.click()
    phone.click("button:has-text('Save')")  # no place marked: the server says why, next to the field
    phone.locator("#locations-error").wait_for()
    assert phone.locator("#locations-error").inner_text() == "Mark at least one place on the leg."
    assert phone.evaluate("localStorage.getItem('numbness-diary.queue')") == "{}"


def test_another_patient_on_the_same_phone_never_sends_the_first_ones_entry(phone, sign_in):
    first = sign_in("una")
    fill_log_form(phone)
    phone.context.set_offline(True)
    phone.click("button:has-text('Save')")
    phone.locator("#offline-status").wait_for()
    phone.context.clear_cookies()  # una's session ends with the entry still on the phone …
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")  # … and the replay meets the login page
    phone.wait_for_timeout(500)
    assert len(phone.evaluate("Object.keys(JSON.parse(localStorage.getItem('numbness-diary.queue')))")) == 1

    second = sign_in("vera")
    phone.goto("/")
    phone.wait_for_load_state("networkidle")
    assert not second.episodes.exists() and not first.episodes.exists()
    assert len(phone.evaluate("Object.keys(JSON.parse(localStorage.getItem('numbness-diary.queue')))")) == 1

    phone.context.clear_cookies()
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "una")
    phone.fill("#id_password", "correct-horse-battery")
    phone.click("button:has-text('Log in')")
    phone.wait_for_load_state("networkidle")
    for _ in range(50):
        if first.episodes.exists():
            break
        phone.wait_for_timeout(100)
    assert first.episodes.count() == 1 and not second.episodes.exists()
