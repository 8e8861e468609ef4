"""The patient creates a share link on a phone; a physician's browser with no session opens it."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from tests.conftest import log

pytestmark = pytest.mark.browser


def test_physician_opens_the_shared_report_without_an_account(phone, sign_in, browser, live_server):
    patient = sign_in("rosa")
    log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2), notes="long drive")
    phone.goto("/report/")
    phone.fill("#id_questions", "Is it my back?")
    phone.click("button:has-text('Create link for this period')")
    url = phone.locator("#new-share-url").input_value()
    assert url.startswith(live_server.url + "/share/")

    physician = browser.new_context(viewport={"width": 1280, "height": 900})
    page = physician.new_page()
    page.goto(url)
    assert page.get_by_text("Leg numbness diary · patient-reported · for the physician").is_visible()
    assert page.get_by_role("heading", name="rosa").is_visible()
    assert page.get_by_text("Is it my back?").is_visible()
    assert page.get_by_text("long drive").is_visible()
    assert page.locator("a:has-text('Download PDF')").is_visible()
    assert physician.cookies() == [] or all(c["name"] != "sessionid" for c in physician.cookies())
    physician.close()

    phone.goto("/report/")
    assert phone.get_by_text("Opened 1 time").is_visible()


def test_the_new_link_is_copied_with_one_tap_and_its_times_read_as_the_phone_reads(phone, sign_in):
    sign_in("rosa")
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"])
    phone.goto("/report/")
    phone.click("button:has-text('Create link for this period')")
    url = phone.locator("#new-share-url").input_value()
    copy = phone.get_by_role("button", name="Copy link")
    box = copy.bounding_box()
    assert box is not None and box["height"] >= 44
    copy.tap()
    expect(phone.locator("[data-share-status]")).to_have_text(re.compile(r"^Link copied"))
    assert phone.evaluate("navigator.clipboard.readText()") == url
    assert not phone.get_by_role("button", name="Share…").is_visible()  # this Chromium has no Share sheet
    # The list says when the link stops working in the phone's habits (Playwright's en-US: "Sun, Dec 20, 12:53 AM"),
    # as every other time of the app, not the server's 24-hour "20 Dec 2026 00:53".
    until = phone.locator(".link-row").first.inner_text()
    # (With its year after a new year: "Fri, Jan 8, 2027, 12:53 AM".)
    assert re.search(r"active until \w{3}, \w{3} \d{1,2}, (\d{4}, )?\d{1,2}:\d\d [AP]M", until), until


def test_without_a_clipboard_the_link_is_selected_whole_on_a_tap(phone, sign_in):
    sign_in("rosa")
    phone.add_init_script("Object.defineProperty(navigator, 'clipboard', { value: undefined })")
    phone.goto("/report/")
    phone.click("button:has-text('Create link for this period')")
    assert not phone.get_by_role("button", name="Copy link").is_visible()  # nothing offered that cannot work
    phone.locator("#new-share-url").tap()
    selected = phone.evaluate("(e => e.value.slice(e.selectionStart, e.selectionEnd))(document.activeElement)")
    assert selected == phone.locator("#new-share-url").input_value()
