"""Sign-up on a phone: its time zone and emergency number are proposed, and an error keeps what was typed."""

import pytest

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
