"""What a patient sees when a throttle or a bound stops them: a plain message, nothing broken."""

import datetime as dt

import pytest

pytestmark = pytest.mark.browser


def test_too_many_sign_in_attempts_show_how_long_to_wait(phone, db, settings, clock_held):
    settings.RATE_LIMITS = settings.RATE_LIMITS | {"password-account": "2/15m"}
    from tests.conftest import make_patient

    make_patient("pat", password="correct-horse-battery")
    for _ in range(3):
        phone.goto("/accounts/login/")
        phone.fill("#id_username", "pat")
        phone.fill("#id_password", "wrong-guess")
        phone.click("button:has-text('Log in')")
    assert phone.locator("h2").inner_text() == "Please wait a little"
    message = phone.locator("[role=alert]").inner_text()
    assert message.startswith("Too many sign-in attempts in a short time. Please wait") and "minute" in message
    back = phone.locator("a:has-text('Back')")
    assert back.bounding_box()["height"] >= 44
    back.click()
    phone.wait_for_selector("button:has-text('Log in')")


def test_a_share_period_out_of_bounds_is_named_on_the_report_page(phone, sign_in, live_server):
    sign_in(date_of_birth=dt.date(2001, 1, 1))
    phone.goto("/report/")
    # A tampered form (the dates are hidden fields): the page answers with the problem named.
    phone.eval_on_selector("input[name=first]", "el => el.value = '0001-01-01'")
    phone.click("button:has-text('Create link for this period')")
    assert "Start date: The start date is before 1 Jan 2000" in phone.locator(".messages").inner_text()
    assert phone.locator("button:has-text('Create link for this period')").is_visible()
