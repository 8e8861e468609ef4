"""The patient creates a share link on a phone; a physician's browser with no session opens it."""

import datetime as dt

import pytest

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
