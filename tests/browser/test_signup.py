"""Sign-up on a phone: its time zone and emergency number are proposed, and an error keeps what was typed."""

import pytest
from playwright.sync_api import expect

from diary.models import Profile
from tests.browser import chromium

pytestmark = pytest.mark.browser


@pytest.fixture
def chicago_phone(browser, live_server):
    context = browser.new_context(
        viewport=chromium.PHONE,
        base_url=live_server.url,
        is_mobile=True,
        has_touch=True,
        timezone_id="America/Chicago",
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_the_phone_zone_and_number_are_proposed_and_an_error_keeps_the_form(chicago_phone, db):
    phone = chicago_phone
    phone.goto("/accounts/signup/")
    assert phone.get_by_text("Your password must contain at least 8 characters.").is_visible()  # before typing
    assert phone.locator("#id_timezone").input_value() == "America/Chicago"
    assert phone.locator("#id_emergency_number").input_value() == "911"
    phone.select_option("#id_timezone", "Europe/London")
    assert phone.locator("#id_emergency_number").input_value() == "999"

    phone.fill("#id_username", "maria")
    phone.fill("#id_password1", "correct-horse-battery")
    phone.fill("#id_password2", "correct-horse-batter")
    phone.fill("#id_display_name", "Maria Rossi")
    phone.click("button:has-text('Create account')")
    phone.locator("#password2-error").wait_for()
    assert phone.locator("#id_password1").input_value() == "correct-horse-battery"
    assert phone.locator("#id_display_name").input_value() == "Maria Rossi"
    assert phone.locator("#id_timezone").input_value() == "Europe/London"  # what was chosen, not the phone's

    phone.fill("#id_emergency_number", "112")
    phone.fill("#id_password2", "correct-horse-battery")
    phone.click("button:has-text('Create account')")
    phone.get_by_text("Your diary is ready.").wait_for()
    profile = Profile.objects.get(user__username="maria")
    assert (profile.timezone, profile.emergency_number, profile.display_name) == ("Europe/London", "112", "Maria Rossi")


def test_the_phones_zone_heads_the_list(chicago_phone, db):
    chicago_phone.goto("/accounts/signup/")
    first = chicago_phone.locator("#id_timezone optgroup").first
    assert first.get_attribute("label") == "This phone"
    assert first.locator("option").inner_text() == "Chicago, United States – Central (most areas)"
    labels = chicago_phone.locator("#id_timezone optgroup").evaluate_all("gs => gs.map((g) => g.label)")
    assert labels[:3] == ["This phone", "Africa", "America"] and "Factory" not in chicago_phone.content()


def test_an_error_brings_the_first_field_in_error_into_view_with_every_rule(chicago_phone, db):
    phone = chicago_phone
    chromium.set_text_size(phone, 200)
    phone.goto("/accounts/signup/")
    phone.fill("#id_username", "maria")
    phone.fill("#id_password1", "maria12")
    show = phone.get_by_role("button", name="Show password").first
    assert phone.locator("#id_password1").get_attribute("type") == "password"
    show.click()
    assert (
        phone.locator("#id_password1").get_attribute("type") == "text" and show.get_attribute("aria-pressed") == "true"
    )
    phone.fill("#id_password2", "maria13")
    phone.click("button:has-text('Create account')")
    phone.locator("#password1-error").wait_for()
    assert phone.locator("#id_password1").get_attribute("type") == "password"  # sent hidden, shown hidden
    # One round: the rules and the mismatch together, not one after the other.
    rules = phone.locator("#password1-error").inner_text()
    assert "too short" in rules and "too similar to the username" in rules
    assert phone.locator("#password2-error").inner_text() == "The two password fields didn’t match."
    # The first field in error has the focus and is on the screen, not 800 px below.
    assert phone.evaluate("document.activeElement.id") == "id_password1"
    box = phone.locator("#field-password1").bounding_box()
    assert box is not None and 0 <= box["y"] and box["y"] < chromium.PHONE["height"] / 2, box
    assert phone.evaluate("document.activeElement.getAttribute('aria-describedby')") == "password-rules password1-error"


def test_settings_offer_the_phones_zone_in_the_lists_words(chicago_phone, live_server):
    """A patient saved in London whose phone is in Chicago: Settings offers Chicago as its list names it, and one tap
    chooses it."""
    from tests.browser.pages import session_cookie
    from tests.conftest import make_patient

    patient = make_patient("zoe", tz="Europe/London")
    chicago_phone.context.add_cookies([session_cookie(patient, live_server.url)])
    chicago_phone.goto("/settings/")
    hint = chicago_phone.locator("#timezone-suggestion")
    expect(hint).to_be_visible()
    assert hint.inner_text().startswith("Your device says Chicago, United States")
    hint.get_by_role("button", name="Use it").tap()
    assert chicago_phone.locator("#id_timezone").input_value() == "America/Chicago"
