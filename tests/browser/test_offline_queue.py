"""A save on a dropped connection is kept on the phone and sent, once, when the server answers again.

The server is a subprocess the test stops: Playwright's set_offline would leave the service worker online,
and its Background Sync would send the entry behind the test's back.
"""

import re

import pytest
from playwright.sync_api import Page

from diary.models import Episode
from tests.browser.appserver import sign_in, until

pytestmark = pytest.mark.browser

ALL_QUEUED = """() => new Promise((ok) => {
    const r = indexedDB.open("numbness-diary");
    r.onupgradeneeded = () => r.result.createObjectStore("entries", { keyPath: "id" });
    r.onsuccess = () => {
        const q = r.result.transaction("entries").objectStore("entries").getAll();
        q.onsuccess = () => { ok(q.result.map((e) => e.id)); r.result.close(); };
    };
})"""


def queued(phone: Page) -> list[str]:
    """Ids of every entry waiting in the phone's queue (IndexedDB), whoever typed them."""
    ids: list[str] = phone.evaluate(ALL_QUEUED)
    return ids


def fill_log_form(phone) -> None:
    phone.goto("/log/")
    phone.locator('.region[data-location="left:heel"]').tap()
    phone.locator(".chips.severity label", has_text="5").first.click()
    phone.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).click()


@pytest.mark.django_db(transaction=True)
def test_entry_survives_a_dropped_connection_and_is_sent_once(app_phone, server):
    phone = app_phone
    patient = sign_in(phone, "olga")
    fill_log_form(phone)
    server.stop()
    phone.click("button:has-text('Save')")
    status = phone.locator(".queue-saved")
    status.wait_for()
    assert status.inner_text() == "Saved on this phone, will send when online."
    assert not Episode.objects.exists()
    waiting = queued(phone)
    assert len(waiting) == 1

    # The form starts again for the next entry (a new id, nothing chosen); Save on it unchanged adds nothing.
    assert phone.locator("input[name=locations]:checked").count() == 0
    assert phone.locator("input[name=id]").input_value() != waiting[0]
    phone.click("button:has-text('Save')")
    phone.get_by_text("Already kept on this phone: it will be sent when online.").wait_for()
    assert queued(phone) == waiting

    server.start()
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    until(phone, lambda: not queued(phone))
    episode = patient.episodes.get()
    assert str(episode.id) == waiting[0]
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("left", "heel")]

    phone.goto("/")  # a later page load finds nothing left to send and sends nothing again
    phone.wait_for_load_state("networkidle")
    assert Episode.objects.count() == 1
    assert server.requests("POST", "/log/") == 1


def test_a_refused_entry_is_shown_with_its_errors(phone, sign_in):
    sign_in("omar")
    phone.goto("/log/")
    phone.locator(".chips.severity label", has_text="5").first.click()
    phone.click("button:has-text('Save')")  # no place marked: the server says why, next to the field
    phone.locator("#locations-error").wait_for()
    assert phone.locator("#locations-error").inner_text() == "Mark at least one place on the leg."
    assert queued(phone) == []


@pytest.mark.django_db(transaction=True)
def test_another_patient_on_the_same_phone_never_sends_the_first_ones_entry(app_phone, server):
    phone = app_phone
    first = sign_in(phone, "una")
    fill_log_form(phone)
    server.stop()
    phone.click("button:has-text('Save')")
    phone.locator("#queue-chip").wait_for()
    server.start()
    phone.context.clear_cookies()  # una's session ends with the entry still on the phone …
    phone.evaluate("window.dispatchEvent(new Event('online'))")  # … and the replay meets the login page
    until(phone, lambda: server.requests("POST", "/log/") >= 1)
    assert len(queued(phone)) == 1

    second = sign_in(phone, "vera")
    phone.goto("/")
    phone.wait_for_load_state("networkidle")
    assert not second.episodes.exists() and not first.episodes.exists()
    assert len(queued(phone)) == 1

    phone.context.clear_cookies()
    sign_in(phone, "una", new=False)
    until(phone, lambda: not queued(phone))
    assert first.episodes.count() == 1 and not second.episodes.exists()


def test_entries_left_in_the_old_local_storage_queue_are_carried_over_and_sent(phone, sign_in):
    patient = sign_in("ruth")
    fill_log_form(phone)
    # An entry as the queue kept it before IndexedDB: {id: {url, fields, queuedAt, patient}} in localStorage.
    old_id = phone.evaluate(
        """() => {
            const form = document.querySelector("form[data-offline-queue]");
            const fields = [];
            new FormData(form).forEach((value, name) => fields.push([name, value]));
            const id = form.querySelector("input[name=id]").value;
            const patient = document.body.dataset.patient;
            const entry = { url: form.action, fields: fields, queuedAt: Date.now(), patient: patient };
            localStorage.setItem("numbness-diary.queue", JSON.stringify({ [id]: entry }));
            return id;
        }"""
    )
    phone.goto("/")
    until(phone, lambda: patient.episodes.exists())
    assert str(patient.episodes.get().id) == old_id
    until(phone, lambda: not queued(phone))
    assert phone.evaluate("localStorage.getItem('numbness-diary.queue')") is None


@pytest.mark.django_db(transaction=True)
def test_no_numbness_today_tapped_offline_is_kept_and_sent_for_that_day(app_phone, server):
    phone = app_phone
    patient = sign_in(phone, "wanda")
    phone.goto("/")
    day = phone.locator("form[data-offline-queue] input[name=date]").input_value()
    server.stop()
    phone.click("button:has-text('No numbness today')")
    status = phone.locator(".home-actions .queue-saved")  # Today has other queued forms (the questionnaire's offer)
    status.wait_for()
    assert status.inner_text() == "Saved on this phone, will send when online."
    assert queued(phone) == [f"checkin-none-{day}"] and not patient.checkins.exists()

    server.start()
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    until(phone, lambda: not queued(phone))
    assert [(c.date.isoformat(), c.numbness_today) for c in patient.checkins.all()] == [(day, False)]
    phone.goto("/")
    assert "You checked in: no numbness today." in phone.content()
