"""The diary on a phone when something goes wrong or comes late: an error keeps "Just now"; a forgotten day is
filled in from Today's week; an edit and a delete come back to where they were, the delete with Undo; an
entry kept offline leaves the form ready for the next; times follow the phone's 12- or 24-hour clock."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from diary.models import CheckIn, Episode
from tests.browser import chromium
from tests.conftest import log

pytestmark = pytest.mark.browser


def region(page, key: str):
    return page.locator(f'[data-view=front] .region[data-location="{key}"]')


def test_an_error_keeps_just_now_and_the_moment_of_the_first_tap(phone, sign_in):
    patient = sign_in("juno")
    tapped = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)
    phone.clock.install(time=tapped - dt.timedelta(minutes=1))
    phone.goto("/log/")
    region(phone, "left:knee").tap()
    phone.locator(".chips.duration label", has_text="Not sure").tap()
    expect(phone.locator("input[name=duration][value=unknown]")).to_be_checked()
    phone.clock.pause_at(tapped)
    phone.locator("button.log-save").tap()  # no severity: the server says so
    phone.locator("#severity-error").wait_for()
    now = phone.locator(".chips.when input[value=now]")
    assert now.is_checked()  # still "Just now", not "Earlier" with an empty date
    label = phone.locator(".chips.when label", has=phone.locator("input[value=now]")).inner_text()
    assert re.fullmatch(r"Just now \((\d\d:\d\d|\d{1,2}:\d\d\s?[AP]M)\)", label), label  # the phone's clock
    # The field to answer has the focus (focus.js moves it once the page has loaded: waited for, not raced).
    expect(phone.locator("input[name=severity]:focus")).to_have_count(1)
    assert region(phone, "left:knee").get_attribute("aria-pressed") == "true"  # the rest is kept

    phone.clock.set_system_time(tapped + dt.timedelta(minutes=3))  # answered three minutes later
    phone.locator(".chips.severity label", has_text="2").tap()
    phone.locator("button.log-save").tap()
    phone.locator(".just-saved").wait_for()
    episode = patient.episodes.get()
    assert episode.started_at == tapped  # the time of the first tap: one Save more, not three round trips
    assert (episode.duration_minutes, episode.duration_unknown) == (None, True)


def test_the_summary_by_save_says_the_minutes_of_a_repeat(phone, sign_in):
    patient = sign_in("kora")
    log(patient, duration_minutes=7, locations=[("left", "toes")], severity=4)
    phone.goto("/log/")
    phone.locator(".repeat-card").first.tap()
    phone.wait_for_url(re.compile(r"\?again="))
    assert phone.locator("[data-log-summary]").inner_text() == "4/10 · 7 min · Left toes"  # not "other"


def test_the_notes_say_how_much_is_left_and_never_cut(phone, sign_in):
    sign_in("nell")
    phone.goto("/log/")
    phone.locator(".more-details summary").tap()
    notes = phone.locator("textarea[name=notes]")
    notes.fill("x" * 1950)
    assert phone.locator("#notes-count").inner_text() == "1,950 of 2,000 characters."
    notes.fill("x" * 2010)
    assert notes.input_value() == "x" * 2010  # nothing cut
    count = phone.locator("#notes-count")
    assert count.inner_text() == "2,010 of 2,000 characters: 10 too many. Shorten the notes to save them."
    assert "error" in (count.get_attribute("class") or "") and notes.get_attribute("aria-invalid") == "true"


def test_the_notes_count_characters_as_the_server_does(phone, sign_in):
    """A 🦶 is one character to the patient and to the server (two UTF-16 code units to a string's length): 1,500 of
    them are saved without a word against them, and 2,100 are 100 too many in the counter and in the server's reply."""
    patient = sign_in("nico")

    def an_entry_with_notes_open() -> None:
        phone.goto("/log/")
        region(phone, "left:knee").tap()
        phone.locator(".chips.severity label", has_text="3").tap()
        phone.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).tap()
        phone.locator(".more-details summary").tap()

    an_entry_with_notes_open()
    notes, count = phone.locator("textarea[name=notes]"), phone.locator("#notes-count")
    notes.fill("🦶" * 1498)
    notes.press_sequentially("🦶🦶")  # typed, as well as pasted
    assert count.inner_text() == "1,500 of 2,000 characters."
    assert "error" not in (count.get_attribute("class") or "") and notes.get_attribute("aria-invalid") is None
    phone.locator("button.log-save").tap()
    phone.locator(".just-saved").wait_for()
    assert patient.episodes.get().notes == "🦶" * 1500

    an_entry_with_notes_open()
    notes.fill("🦶" * 2100)
    too_many = "2,100 of 2,000 characters: 100 too many. Shorten the notes to save them."
    assert count.inner_text() == too_many
    phone.locator("button.log-save").tap()
    phone.get_by_text("Notes can be up to 2,000 characters; these have 2,100.").wait_for()
    assert notes.input_value() == "🦶" * 2100 and count.inner_text() == too_many  # the page and the server agree
    assert patient.episodes.count() == 1


def test_a_forgotten_day_is_filled_in_from_todays_week(phone, sign_in):
    patient = sign_in("dora")
    patient.date_joined -= dt.timedelta(days=10)
    patient.save()
    today = dt.datetime.now(dt.UTC).astimezone(patient.profile.zone).date()
    yesterday, before = today - dt.timedelta(days=1), today - dt.timedelta(days=2)
    phone.goto("/")
    phone.locator(f'.week a[href="/days/{yesterday:%Y-%m-%d}/"]').tap()
    phone.get_by_text("Nothing logged for this day yet.").wait_for()
    phone.get_by_role("button", name="No numbness this day").tap()
    phone.get_by_text(f"Noted: no numbness on {yesterday.day} {yesterday:%b}.").wait_for()
    assert CheckIn.objects.get(patient=patient).date == yesterday

    phone.goto("/")
    assert phone.locator(f'.week a[href="/days/{yesterday:%Y-%m-%d}/"] .dot .icon').count() == 1  # a tick
    phone.locator(f'.week a[href="/days/{before:%Y-%m-%d}/"]').tap()
    phone.get_by_role("link", name="Log an episode on this day").tap()
    assert phone.locator(".chips.when input[value=earlier]").is_checked()
    assert phone.locator("#id_started_at").input_value().startswith(f"{before:%Y-%m-%d}T")
    region(phone, "right:shin").tap()
    phone.locator(".chips.severity label", has_text="3").tap()
    phone.locator(".chips.duration label", has_text="15 min").tap()
    phone.locator("button.log-save").tap()
    phone.wait_for_url(re.compile(rf"/days/{before:%Y-%m-%d}/$"))  # back to that day
    phone.locator(".just-saved").get_by_text("Episode saved.").wait_for()
    assert phone.get_by_role("link", name="Add an episode on this day").is_visible()
    assert phone.get_by_role("button", name="No numbness this day").count() == 0  # never offered, never "delete"
    episode = patient.episodes.get()
    assert episode.started_at.astimezone(patient.profile.zone).date() == before


def test_a_delete_from_history_comes_back_to_the_day_with_undo_for_ten_seconds(phone, sign_in):
    patient = sign_in("ida")
    kept = log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2), severity=6, notes="bus")
    gone = log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3), severity=2)
    phone.clock.install()
    phone.goto("/history/")
    phone.locator(f'a[href^="/episodes/{kept.id}/edit/"]').tap()
    phone.get_by_role("link", name="Delete").tap()
    phone.get_by_role("button", name="Delete episode").tap()
    phone.wait_for_url(re.compile(r"/history/\?at=\d{4}-\d\d-\d\d#day-"))
    note = phone.locator(".just-saved")
    assert "Episode deleted." in note.inner_text()
    assert note.bounding_box()["y"] < chromium.PHONE["height"]  # said at the day the page comes back to
    note.get_by_role("button", name="Undo").tap()
    phone.get_by_text("Undone: the episode is back in your diary.").wait_for()
    assert patient.episodes.get(id=kept.id).notes == "bus"

    phone.locator(f'a[href^="/episodes/{gone.id}/edit/"]').tap()
    phone.get_by_role("link", name="Delete").tap()
    phone.get_by_role("button", name="Delete episode").tap()
    phone.locator(".just-saved").wait_for()
    phone.wait_for_load_state("load")  # undo.js (deferred) has started its countdown
    phone.clock.run_for(11_000)  # as after a save: the offer steps aside after ten seconds
    assert not phone.locator(".just-saved").is_visible()
    assert list(Episode.objects.values_list("id", flat=True)) == [kept.id]


def test_an_entry_kept_offline_leaves_the_form_ready_for_the_next(phone, sign_in):
    sign_in("ola")
    phone.goto("/log/")
    first_id = phone.locator("input[name=id]").input_value()
    region(phone, "left:knee").tap()
    phone.locator(".chips.severity label", has_text="4").tap()
    phone.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).tap()
    phone.context.set_offline(True)
    phone.locator("button.log-save").tap()
    phone.locator(".queue-saved").wait_for()
    assert phone.locator("input[name=locations]:checked, input[name=severity]:checked").count() == 0
    assert phone.locator("input[name=id]").input_value() != first_id  # the next one is a new entry
    assert phone.locator("[data-log-summary]").inner_text() == "How bad? · How long? · Where?"
    chip = phone.locator("#queue-chip")
    chip.wait_for()
    phone.evaluate("window.scrollTo(0, 0)")
    # The strip takes its own place: the page's heading starts below it, and it stays in view, at the top.
    chip_box, heading = chip.bounding_box(), phone.locator("main h2").first.bounding_box()
    assert chip_box["y"] + chip_box["height"] <= heading["y"]
    phone.evaluate("window.scrollTo(0, 600)")
    assert chip.bounding_box()["y"] == 0
    phone.context.set_offline(False)
    chip.wait_for(state="hidden")  # sent: the save is over before the test's database is emptied under it
    assert Episode.objects.filter(patient__username="ola").count() == 1


@pytest.mark.parametrize(
    "locale, clock", [("en-US", r"\d{1,2}:\d\d\s?[AP]M"), ("en-GB", r"\d\d:\d\d"), ("de-DE", r"\d\d:\d\d")]
)
def test_times_follow_the_phones_clock(browser, live_server, locale, clock):
    from tests.browser.pages import session_cookie
    from tests.conftest import earlier_today, make_patient

    patient = make_patient("lena", tz="America/Chicago")
    log(patient, started_at=earlier_today(patient))  # on Today whatever the hour, even at 00:05 in Chicago
    context = browser.new_context(viewport=chromium.PHONE, base_url=live_server.url, locale=locale)
    context.add_cookies([session_cookie(patient, live_server.url)])
    page = context.new_page()
    page.goto("/")
    time = page.locator(".episode .time time").inner_text()
    assert re.fullmatch(clock, time), time
    heading = page.locator("#today-title time").inner_text()
    month_first = re.fullmatch(r"[A-Z][a-z]+day, [A-Z][a-z]+ \d{1,2}", heading)
    day_first = re.fullmatch(r"[A-Z][a-z]+day,? \d{1,2} [A-Z][a-z]+", heading)
    assert month_first if locale == "en-US" else day_first, heading  # English words, the phone's order
    context.close()


@pytest.mark.parametrize(
    "locale, written",
    [
        ("en-US", r"[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}, (\d{4}), \d{1,2}:\d\d\s?[AP]M"),
        ("en-GB", r"[A-Z][a-z]{2},? \d{1,2} [A-Z][a-z]{2},? (\d{4}),? \d\d:\d\d"),
    ],
)
def test_a_moment_of_another_year_says_its_year_in_the_phones_habits(browser, live_server, locale, written):
    from tests.browser.pages import session_cookie
    from tests.conftest import make_patient

    patient = make_patient("yuri", tz="Europe/London")
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    log(patient, started_at=long_ago)  # Today's "Last episode", over a year ago
    context = browser.new_context(viewport=chromium.PHONE, base_url=live_server.url, locale=locale)
    context.add_cookies([session_cookie(patient, live_server.url)])
    page = context.new_page()
    page.goto("/")
    last = page.locator(".stat", has_text="Last episode").locator("time").inner_text()
    match = re.fullmatch(written, last)
    assert match and match[1] == str(long_ago.year), last
    context.close()
