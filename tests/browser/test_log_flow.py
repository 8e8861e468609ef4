"""A new patient signs up on a phone, logs an episode by tapping the leg diagram, finds, edits and deletes it."""

import re

import pytest

from diary.models import Episode

pytestmark = pytest.mark.browser


def at(page, path: str) -> None:
    page.wait_for_url(re.compile(r"^https?://[^/]+" + re.escape(path) + "$"))


def test_sign_up_log_by_body_map_edit_and_delete(phone, db):
    phone.goto("/accounts/signup/")
    phone.fill("#id_username", "phoebe")
    phone.fill("#id_password1", "correct-horse-battery")
    phone.fill("#id_password2", "correct-horse-battery")
    phone.click("text=Create account")
    at(phone, "/")
    assert phone.get_by_role("link", name="Log numbness").is_visible()

    phone.click("text=Log numbness")
    at(phone, "/log/")
    assert not phone.locator(".when-earlier").is_visible()  # "Just now" needs no date
    phone.get_by_role("button", name="Back", exact=True).tap()  # the calf is on the back of the leg
    phone.locator('.region[data-location="left:calf"]').tap()
    assert phone.locator('input[value="left:calf"]').is_checked()
    assert phone.locator('.region[data-location="left:calf"]').get_attribute("aria-pressed") == "true"
    phone.locator(".chips.severity label", has_text="6").first.click()
    phone.locator(".chips.duration label", has_text="15 min").click()
    phone.locator("label.chip", has_text="Sitting").click()
    phone.click("button:has-text('Save')")
    at(phone, "/")
    assert phone.locator(".episode", has_text="Left calf").is_visible()

    episode = Episode.objects.get()
    assert (episode.severity, episode.duration_minutes, episode.triggers) == (6, 15, ["sitting"])
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("left", "calf")]

    phone.click("nav.tabs >> text=History")
    phone.click(".episode-link")
    phone.wait_for_url(re.compile(rf"/episodes/{episode.id}/edit/\?next=%2Fhistory%2F"))  # to come back to History
    phone.locator('[data-view=front] .region[data-location="right:knee"]').tap()
    phone.locator(".chips.severity label", has_text="8").first.click()
    phone.click("button:has-text('Save changes')")
    phone.wait_for_url(re.compile(r"/history/\?at=\d{4}-\d\d-\d\d#day-"))  # back where it was opened, at that day
    phone.get_by_text("Changes saved.").wait_for()
    episode.refresh_from_db()
    assert episode.severity == 8
    assert sorted((loc.side, loc.region) for loc in episode.locations.all()) == [("left", "calf"), ("right", "knee")]

    phone.locator(".episode-link").click()
    phone.click("text=Delete")
    phone.click("button:has-text('Delete episode')")
    phone.wait_for_url(re.compile(r"/history/\?at=\d{4}-\d\d-\d\d#day-"))
    assert phone.locator("article.episode").count() == 0
    assert not Episode.objects.exists()
    phone.locator(".just-saved").get_by_role("button", name="Undo").click()  # changed one's mind
    phone.get_by_text("Undone: the episode is back in your diary.").wait_for()
    assert Episode.objects.get().id == episode.id


def test_an_error_is_shown_next_to_the_field(phone, sign_in):
    sign_in("paul")
    phone.goto("/log/")
    phone.locator(".chips.severity label", has_text="3").first.click()
    phone.click("button:has-text('Save')")
    assert phone.locator("#locations-error").inner_text() == "Mark at least one place on the leg."
    assert not Episode.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_minutes_ago_read_as_the_phones_clock_did_then(phone, sign_in):
    # A form sent back keeps the tap: here 01:10 GMT on the night London's clocks go back (01:10Z). The phone (in
    # London) writes each choice's time itself: 15 minutes before is 00:55Z, which its clock read as 01:55 BST, and
    # an hour before is 00:10Z, 01:10 BST.
    sign_in("gwen")
    phone.goto("/log/")
    phone.locator("input[name=tapped_at]").evaluate("(input) => { input.value = '2026-10-25T01:10:00+00:00'; }")
    phone.locator(".chips.severity label", has_text="5").first.click()
    phone.click("button:has-text('Save')")  # no place marked: the server sends the form back with the tap kept
    phone.locator("#locations-error").wait_for()
    labels = [phone.locator(f"label:has(#id_when_{n})").inner_text().strip() for n in range(6)]
    assert labels == [  # in this phone's habits (en-US), each with its zone as the choices straddle the change
        "Just now (1:10 AM GMT)",
        "5 min ago (1:05 AM GMT)",
        "10 min ago (1:00 AM GMT)",
        "15 min ago (1:55 AM GMT+1)",
        "30 min ago (1:40 AM GMT+1)",
        "1 hour ago (1:10 AM GMT+1)",
    ]


def test_pages_fit_the_phone_width(phone, sign_in):
    sign_in("pia")
    for path in ("/", "/log/", "/history/", "/trends/", "/flags/", "/report/", "/settings/"):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path


def test_every_showing_of_a_new_log_form_gets_a_new_id(phone, sign_in):
    import uuid

    sign_in("bea")
    phone.goto("/log/")
    shown = phone.input_value("input[name=id]")
    assert uuid.UUID(shown).version == 4
    # What the browser does when Back shows the cached form after a save:
    phone.evaluate("window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))")
    again = phone.input_value("input[name=id]")
    assert again != shown
    phone.goto(phone.url)
    assert phone.input_value("input[name=id]") not in (shown, again)


def test_the_save_bar_says_the_chosen_time_as_its_choice_does(phone, sign_in):
    # A form sent back keeps the tap (13:54 GMT) and each choice says its time in the phone's habits (en-US); the Save
    # bar repeats the chosen one's words, and said them in the server's 24-hour form ("5 min ago (13:49)") when it was
    # written before the choices were.
    sign_in("hana")
    phone.goto("/log/")
    phone.locator("input[name=tapped_at]").evaluate("(input) => { input.value = '2026-01-12T13:54:00+00:00'; }")
    phone.locator("label:has(#id_when_1)").click()  # 5 min ago
    phone.locator(".chips.severity label", has_text="5").first.click()
    phone.click("button:has-text('Save')")  # no place marked: sent back
    phone.locator("#locations-error").wait_for()
    assert phone.locator("label:has(#id_when_1)").inner_text().strip() == "5 min ago (1:49 PM)"
    summary = phone.locator("[data-log-summary]").inner_text()
    assert "5 min ago (1:49 PM)" in summary and "13:49" not in summary
