"""A save on a dropped connection is kept on the phone and sent, once, when the server answers again.

The server is a subprocess the test stops: Playwright's set_offline would leave the service worker online,
and its Background Sync would send the entry behind the test's back.
"""

import re

import pytest
from playwright.sync_api import Page, expect

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


# --- Whether a page looks in the queue at all (queue.js keeps a note in localStorage) ---------------------------------

STATE = "numbness-diary.queue-state"
# Counts the page's own openings of IndexedDB: an init script runs before any script of the page.
COUNT_OPENS = """
window.queueOpens = 0;
const openDatabase = IDBFactory.prototype.open;
IDBFactory.prototype.open = function (...args) { window.queueOpens += 1; return openDatabase.apply(this, args); };
"""
# An entry of the log form, written straight into IndexedDB with no note, as a version before the note left it.
PUT_WITHOUT_NOTE = """(patient) => new Promise((ok) => {
    const form = document.querySelector("form[data-offline-queue]");
    const fields = [];
    new FormData(form).forEach((value, name) => fields.push([name, value]));
    const id = form.querySelector("input[name=id]").value;
    const owner = patient || document.body.dataset.patient;
    const entry = { id, url: form.action, fields, queuedAt: Date.now(), patient: owner };
    const r = indexedDB.open("numbness-diary", 1);
    r.onupgradeneeded = () => r.result.createObjectStore("entries", { keyPath: "id" });
    r.onsuccess = () => {
        const tx = r.result.transaction("entries", "readwrite");
        tx.objectStore("entries").put(entry);
        tx.oncomplete = () => { r.result.close(); ok(id); };
    };
})"""


def opens_at_load(phone: Page, path: str) -> int:
    phone.goto(path)
    phone.wait_for_load_state("networkidle")
    opens: int = phone.evaluate("window.queueOpens")
    return opens


def note(phone: Page) -> str | None:
    value: str | None = phone.evaluate(f"localStorage.getItem('{STATE}')")
    return value


def left_without_note(phone: Page, state: str | None) -> str:
    """A log-form entry in IndexedDB with the note set to `state` (None: no note), as a page of the version before
    the note leaves it; its id."""
    fill_log_form(phone)
    entry: str = phone.evaluate(PUT_WITHOUT_NOTE)
    phone.evaluate("([key, value]) => value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value)",
                   [STATE, state])  # fmt: skip
    return entry


def minutes_ago(phone: Page, minutes: int) -> int:
    ms: int = phone.evaluate(f"Date.now() - {minutes} * 60 * 1000")
    return ms


def said_empty(phone: Page) -> bool:
    return (note(phone) or "").startswith("empty ")


def test_a_page_opens_the_queue_only_when_an_entry_may_wait(phone, sign_in):
    phone.context.add_init_script(COUNT_OPENS)
    patient = sign_in("nell")
    # A first visit: the browser lists no queue database, so the page looked without opening (or creating) one.
    until(phone, lambda: said_empty(phone))
    assert phone.evaluate("window.queueOpens") == 0
    assert "numbness-diary" not in [db["name"] for db in phone.evaluate("indexedDB.databases()")]
    assert opens_at_load(phone, "/history/") == 0

    fill_log_form(phone)
    phone.click("button:has-text('Save')")  # online: the entry goes through the queue, and the note changes first
    phone.wait_for_url(lambda url: "/log/" not in url)
    until(phone, lambda: said_empty(phone))
    # The page after the save looked once, found the queue empty and said so for the next.
    assert patient.episodes.exists() and phone.evaluate("window.queueOpens") >= 1
    assert opens_at_load(phone, "/trends/") == 0


def test_an_empty_is_trusted_for_ten_minutes(phone, sign_in):
    # A page of the version before the note queues without writing it: the entry waits under a recent "empty", and
    # ten minutes after that "empty" the next page looks again and sends it.
    patient = sign_in("nora")
    entry = left_without_note(phone, f"empty {minutes_ago(phone, 9)}")
    phone.goto("/")
    phone.wait_for_load_state("networkidle")
    assert queued(phone) == [entry] and not patient.episodes.exists()
    phone.evaluate(f"localStorage.setItem('{STATE}', 'empty {minutes_ago(phone, 11)}')")
    phone.goto("/")
    until(phone, lambda: patient.episodes.exists())
    assert str(patient.episodes.get().id) == entry


def test_a_page_opened_with_an_entry_waiting_shows_it(phone, sign_in):
    sign_in("orla")
    phone.evaluate(
        """() => window.DiaryQueue.put({ id: "0b5e4c1e-0000-4000-8000-000000000003", url: "/healthz", fields: [],
                                         queuedAt: Date.now(), patient: document.body.dataset.patient })"""
    )  # an address that takes no entry (405): neither saved nor refused for good, so it stays
    phone.goto("/history/")
    expect(phone.locator("#queue-chip")).to_have_text("1 waiting to send")
    assert queued(phone) == ["0b5e4c1e-0000-4000-8000-000000000003"]


# IndexedDB fails to open, as when the phone's storage is full or turned off.
NO_STORAGE = """IDBFactory.prototype.open = function () { throw new DOMException("No storage", "UnknownError"); };"""


def test_an_entry_the_phone_cannot_keep_goes_straight_to_the_server(phone, sign_in):
    phone.context.add_init_script(NO_STORAGE)
    patient = sign_in("pam")
    fill_log_form(phone)
    phone.click("button:has-text('Save')")
    until(phone, lambda: patient.episodes.exists())
    assert [(loc.side, loc.region) for loc in patient.episodes.get().locations.all()] == [("left", "heel")]


@pytest.mark.django_db(transaction=True)
def test_an_entry_that_can_be_neither_kept_nor_sent_is_said_unsaved_and_stays_typed(app_phone, server):
    phone = app_phone
    phone.context.add_init_script(NO_STORAGE)
    sign_in(phone, "prue")
    fill_log_form(phone)
    server.stop()
    phone.click("button:has-text('Save')")
    expect(phone.locator(".queue-saved")).to_have_text(
        "Not saved: this phone could not keep the entry, and it could not be sent now. Please try again."
    )
    assert phone.locator("input[name=locations][value='left:heel']").is_checked()


def test_an_entry_queued_without_the_note_is_found_and_sent(phone, sign_in):
    patient = sign_in("opal")
    entry = left_without_note(phone, None)
    phone.goto("/")
    until(phone, lambda: patient.episodes.exists())
    assert str(patient.episodes.get().id) == entry
    until(phone, lambda: not queued(phone))


def test_another_patients_entry_keeps_the_queue_looked_at(phone, sign_in):
    sign_in("pia")
    fill_log_form(phone)
    phone.evaluate("(entry) => window.DiaryQueue.put(entry)", {"id": "0b5e4c1e-0000-4000-8000-000000000001",
                   "url": "/log/", "fields": [], "queuedAt": 0, "patient": "someone-else"})  # fmt: skip
    assert (note(phone) or "").startswith("queued ")
    phone.goto("/")
    phone.wait_for_load_state("networkidle")
    # Pia has nothing waiting, but the phone does: the next page (perhaps its owner's) must still look.
    assert queued(phone) == ["0b5e4c1e-0000-4000-8000-000000000001"]
    assert (note(phone) or "").startswith("queued ")


def test_a_page_that_says_empty_while_an_entry_is_written_is_overruled(phone, sign_in):
    # Another tab looked just before this entry's write and says "empty" while it is being written: the note the
    # write leaves behind must still say an entry waits.
    sign_in("quinn")
    note_after = phone.evaluate(
        """async (state) => {
            const put = IDBObjectStore.prototype.put;
            IDBObjectStore.prototype.put = function (...args) {
                localStorage.setItem(state, "empty");  // the other tab, at the moment of the write
                return put.apply(this, args);
            };
            await window.DiaryQueue.put({ id: "0b5e4c1e-0000-4000-8000-000000000002", url: "/log/", fields: [],
                                          queuedAt: Date.now(), patient: document.body.dataset.patient });
            IDBObjectStore.prototype.put = put;
            return localStorage.getItem(state);
        }""",
        STATE,
    )
    assert note_after.startswith("queued ")
    assert queued(phone) == ["0b5e4c1e-0000-4000-8000-000000000002"]
