"""On a phone: numbness between the legs is an emergency; the groin or inner thigh alone is not."""

import re
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.browser


def choose(phone, name: str) -> None:
    """Tick a checkbox by its accessible name; opens the collapsed list it sits in when needed."""
    pattern = re.escape(name).replace("/", r"\/")  # Playwright sends the pattern between slashes
    box = phone.get_by_role("checkbox", name=re.compile(f"^{pattern}$", re.IGNORECASE), include_hidden=True)
    if not box.is_visible():  # inside a closed list (places, or the alarm questions): open it
        box.locator("xpath=ancestor::details[1]/summary").click()
    box.check()


def fill_the_basics(phone) -> None:
    phone.goto("/log/")
    phone.get_by_role("radio", name="3", exact=True).first.check(force=True)
    phone.get_by_role("radio", name="5 min", exact=True).check(force=True)


def test_numb_between_the_legs_shows_the_emergency_screen(phone, sign_in):
    patient = sign_in("sid", emergency_number="999")
    fill_the_basics(phone)
    choose(phone, "Left sole")
    choose(phone, "Numb between the legs or around the bottom")
    phone.get_by_role("button", name=re.compile("^save", re.IGNORECASE)).click()

    call = phone.get_by_role("link", name="Call 999 now")
    call.wait_for()
    assert call.get_attribute("href") == "tel:999"
    assert phone.get_by_role("heading", name="Possible pressure on the nerves in your back").is_visible()
    assert patient.episodes.get().symptoms == ["saddle_numbness"]


def test_the_groin_or_inner_thigh_alone_is_not_an_emergency(phone, sign_in):
    patient = sign_in("gus", emergency_number="999")
    fill_the_basics(phone)
    choose(phone, "Left groin or inner thigh")
    phone.get_by_role("button", name=re.compile("^save", re.IGNORECASE)).click()

    phone.wait_for_url(lambda url: urlparse(url).path == "/")  # back on Today: no alarm screen
    assert phone.get_by_role("link", name="Call 999 now").count() == 0
    assert [(loc.side, loc.region) for loc in patient.episodes.get().locations.all()] == [("left", "groin")]


def test_the_saddle_region_can_be_chosen_on_its_own_once_confirmed(phone, sign_in):
    sign_in("sal", emergency_number="112")
    fill_the_basics(phone)
    choose(phone, "Between the legs / around the bottom (right side)")
    phone.get_by_role("button", name=re.compile("^save", re.IGNORECASE)).click()
    phone.get_by_role("button", name="Yes, save").click()  # asked once: a mis-tap is not an emergency
    phone.get_by_role("link", name="Call 112 now").wait_for()
