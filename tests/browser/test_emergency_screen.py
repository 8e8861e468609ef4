"""Logging slurred speech on a phone shows the emergency screen, a page of its own, with a tap-to-call link."""

import re

import pytest

pytestmark = pytest.mark.browser


def test_slurred_speech_shows_the_emergency_screen(phone, sign_in):
    patient = sign_in("sam", tz="America/Chicago", emergency_number="911")
    phone.goto("/log/")
    phone.locator('[data-view=front] .region[data-location="right:shin"]').tap()
    phone.locator(".chips.severity label", has_text="7").first.click()
    phone.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).click()
    phone.click(".alarm-check summary")  # the alarm questions open on one tap
    phone.locator("label.chip", has_text="Slurred or difficult speech").click()
    phone.click("button:has-text('Save')")

    call = phone.get_by_role("link", name="Call 911 now")
    call.wait_for()
    assert call.get_attribute("href") == "tel:911"
    assert phone.get_by_role("heading", name="Possible signs of a stroke").is_visible()
    assert phone.get_by_text("You logged: Slurred or difficult speech.").is_visible()
    box = phone.locator(".alert-screen").bounding_box()
    assert box["y"] < 200 and box["height"] > 500  # fills the screen, above anything else
    # "Not a diagnosis" and "saved" are read on the first screen, above the tabs, not after a scroll.
    disclaimer = phone.locator(".alert-screen .disclaimer").bounding_box()
    assert disclaimer["y"] + disclaimer["height"] <= phone.locator("nav.tabs").bounding_box()["y"]
    episode = patient.episodes.get()
    assert episode.symptoms == ["speech_difficulty"]
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("right", "shin")]
    assert phone.url.split("?")[0].endswith(f"/alert/{episode.id}/")
    assert_focused_and_announced(phone)

    phone.reload()  # a reload shows it again, focus and all
    phone.get_by_role("link", name="Call 911 now").wait_for()
    assert_focused_and_announced(phone)

    phone.goto("/")  # and Today leads back to it while the flag is open
    banner = phone.locator(".flag-banner.level-emergency")
    assert banner.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
    banner.get_by_role("link", name="Open the emergency screen").click()
    phone.get_by_role("heading", name="Possible signs of a stroke").wait_for()
    assert_focused_and_announced(phone)


def assert_focused_and_announced(phone):
    # focus.js moves the focus; it is deferred, so it has run once the document is parsed, not when the heading shows.
    phone.wait_for_load_state("domcontentloaded")
    focused = phone.evaluate("document.activeElement.id")
    assert focused == "alert-screen-title"
    assert phone.evaluate("document.activeElement.closest('[role=alert]') !== null")


def test_the_flag_appears_on_today_and_can_be_acknowledged(phone, sign_in):
    sign_in("tess")
    phone.goto("/log/")
    phone.locator('[data-view=front] .region[data-location="left:shin"]').tap()
    phone.locator(".chips.severity label", has_text="4").first.click()
    phone.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).click()
    phone.locator("label.chip", has_text="An injury or fall").click()
    phone.click("button:has-text('Save')")
    phone.get_by_role("heading", name="Numbness after an injury").wait_for()

    phone.goto("/")  # the review ran after the save (in-process in tests)
    phone.click("text=1 warning sign to read")
    phone.get_by_text(
        re.compile(r"^1 episode with: An injury or fall \(started \d{1,2} [A-Z][a-z]{2} \d{4}\)\.$")
    ).wait_for()
    phone.click('button:has-text("I\'ve read this")')
    phone.get_by_text("Marked as read.").wait_for()
    assert "warning sign to read" not in phone.goto("/").text()
