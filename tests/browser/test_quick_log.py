"""The log in a few taps, on a 390×844 phone: every tap is counted, and Save never leaves the screen."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from diary import picker, vocab
from diary.models import Episode
from tests.browser import chromium
from tests.conftest import log

pytestmark = pytest.mark.browser

VIEWPORT_HEIGHT = 844


class Taps:
    """Taps on a phone, counted; after each one Save must still be on screen and not covered."""

    def __init__(self, page, check_save: bool = True):
        self.page = page
        self.count = 0
        self.check_save = check_save

    def __call__(self, locator) -> None:
        locator.tap()
        self.count += 1
        if self.check_save and self.page.url.endswith("/log/"):
            assert_save_on_screen(self.page)


def assert_save_on_screen(page) -> None:
    save = page.locator("button.log-save")
    box = save.bounding_box()
    assert box is not None
    assert 0 <= box["y"] and box["y"] + box["height"] <= VIEWPORT_HEIGHT, box
    # Nothing (the tab bar, a card) covers it: the element at its centre is the button itself.
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).closest('button.log-save') !== null")


def region(page, key: str, view: str | None = None):
    scope = f'[data-view="{view}"] ' if view else ""
    return page.locator(f'{scope}.region[data-location="{key}"]')


def test_a_repeat_episode_takes_three_taps_from_today(phone, sign_in):
    patient = sign_in("rita")
    before = log(
        patient,
        started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=1),
        duration_minutes=15,
        severity=6,
        locations=[("right", "calf"), ("right", "heel")],
        sensations=["numbness", "cold"],
        triggers=["crossed_legs"],
        symptoms=["cramps", "leg_weakness"],  # the alarm question is never copied
        relieved_by=["walking_around"],
        notes="on the train",
    )
    log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=2), locations=[("left", "toes")])
    phone.goto("/")
    tap = Taps(phone)
    tap(phone.get_by_role("link", name="Log numbness"))
    phone.wait_for_url(re.compile(r"/log/$"))
    cards = phone.locator(".repeat-card")
    assert cards.count() == 2
    tap(cards.filter(has_text="Right heel, right calf"))
    phone.wait_for_url(re.compile(r"/log/\?again="))
    assert_save_on_screen(phone)
    tapped_at = dt.datetime.now(dt.UTC)
    tap(phone.locator("button.log-save"))
    phone.locator(".just-saved").wait_for()
    assert tap.count == 3

    again = patient.episodes.exclude(id=before.id).order_by("-started_at").first()
    assert abs(again.started_at - tapped_at) < dt.timedelta(minutes=1)  # "just now", not the old time
    assert (again.duration_minutes, again.severity) == (15, 6)
    assert sorted((loc.side, loc.region) for loc in again.locations.all()) == [("right", "calf"), ("right", "heel")]
    assert (again.sensations, again.triggers, again.relieved_by) == (
        ["numbness", "cold"],
        ["crossed_legs"],
        ["walking_around"],
    )
    assert again.symptoms == ["cramps"] and again.notes == ""


def test_a_new_typical_episode_takes_nine_taps_and_save_stays_on_screen(phone, sign_in):
    """Left toes and sole, tingling, 5 minutes, severity 4, after sitting, eased by changing position.

    Nine, not eight: no duration is chosen for the patient (a forgotten answer must not become a plausible one)."""
    patient = sign_in("tara")
    phone.goto("/")
    tap = Taps(phone)
    tap(phone.get_by_role("link", name="Log numbness"))
    phone.wait_for_url(re.compile(r"/log/$"))
    assert_save_on_screen(phone)
    assert phone.locator("input[name=duration]:checked").count() == 0  # asked, never pre-answered
    tap(region(phone, "left:toes"))
    tap(region(phone, "left:sole"))
    assert phone.locator("[data-bodymap-readback]").inner_text() == "Left toes, left sole"
    tap(phone.locator("label.chip", has_text="Tingling"))
    tap(phone.locator(".chips.severity label", has_text="4"))
    assert phone.locator("[data-log-summary]").inner_text() == "4/10 · How long? · Left toes, left sole"
    tap(phone.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")))
    tap(phone.locator(".chips.triggers label", has_text="Sitting"))
    tap(phone.locator(".chips.relieved_by label", has_text="Changing position"))
    assert phone.locator("[data-log-summary]").inner_text() == "4/10 · 5 min · Left toes, left sole"
    tap(phone.locator("button.log-save"))
    phone.locator(".just-saved").wait_for()
    assert tap.count == 9

    episode = patient.episodes.get()
    assert sorted((loc.side, loc.region) for loc in episode.locations.all()) == [("left", "sole"), ("left", "toes")]
    assert (episode.duration_minutes, episode.severity) == (5, 4)
    assert (episode.sensations, episode.triggers, episode.relieved_by) == (
        ["tingling"],
        ["sitting"],
        ["changed_position"],
    )
    assert episode.symptoms == []  # the alarm questions were asked, not pre-answered


def fill_and_save(phone, place: str, severity: str) -> None:
    """A place on the map's front, a severity and "1 min", each tap seen to take before Save (on a busy machine a save
    once came back refused, as if one of them had not)."""
    region(phone, place, "front").tap()
    expect(phone.locator(f"input[name=locations][value='{place}']")).to_be_checked()
    phone.locator(".chips.severity label", has_text=severity).tap()
    expect(phone.locator(f"input[name=severity][value='{severity}']")).to_be_checked()
    minute = phone.locator(".chips.duration label", has_text="1 min")
    minute.tap()
    expect(minute.locator("input")).to_be_checked()
    phone.locator("button.log-save").tap()


def test_the_saved_confirmation_offers_undo_for_a_few_seconds(phone, sign_in):
    patient = sign_in("ursula")
    phone.clock.install()
    phone.goto("/log/")
    fill_and_save(phone, "right:ankle", "2")
    note = phone.locator(".just-saved")
    note.wait_for()
    assert "Episode saved." in note.inner_text() and "Right ankle · 2/10" in note.inner_text()
    # It lines up with the page's column (the heading under it), not the screen's edges.
    box, heading = note.bounding_box(), phone.locator("main h2").first.bounding_box()
    assert box is not None and heading is not None
    assert box["x"] == heading["x"] and box["x"] + box["width"] == pytest.approx(390 - heading["x"])
    phone.wait_for_load_state("load")  # undo.js (deferred) has started its countdown
    phone.clock.run_for(11_000)  # after a few seconds it steps aside
    assert not note.is_visible()
    assert patient.episodes.count() == 1

    phone.goto("/log/")  # the next save, undone in time
    fill_and_save(phone, "left:knee", "3")
    phone.locator(".just-saved").get_by_role("button", name="Undo").tap()
    phone.get_by_text("Undone: that episode is no longer in your diary.").wait_for()
    assert [loc.region for e in patient.episodes.all() for loc in e.locations.all()] == ["ankle"]
    phone.reload()  # shown once only
    assert phone.locator(".just-saved").count() == 0


def test_the_map_works_by_touch_and_by_keyboard(phone, sign_in):
    sign_in("kim")
    phone.goto("/log/")
    toes = region(phone, "left:toes")
    assert toes.get_attribute("role") == "button" and toes.get_attribute("aria-label") == "Left toes"
    assert toes.get_attribute("aria-pressed") == "false"
    toes.tap()
    assert toes.get_attribute("aria-pressed") == "true"
    assert phone.locator("input[name=locations][value='left:toes']").is_checked()
    toes.tap()
    assert toes.get_attribute("aria-pressed") == "false"
    assert not phone.locator("input[name=locations][value='left:toes']").is_checked()

    # Keyboard: the map is one Tab stop after the Front/Back switch (a toolbar with a roving tabindex).
    phone.get_by_role("button", name="Back", exact=True).focus()
    phone.keyboard.press("Shift+Tab")  # back to "Front"
    phone.keyboard.press("Enter")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.getAttribute('data-location')")
    assert focused == "left:toes"  # the place last touched is the map's one stop
    phone.keyboard.press("Home")
    focused = phone.evaluate("document.activeElement.getAttribute('data-location')")
    assert focused == "right:groin"  # the front view: the patient's right leg on the viewer's left, from the hip
    assert phone.evaluate("document.activeElement.closest('[role=toolbar]').getAttribute('aria-label')").startswith(
        "Leg map"
    )
    phone.keyboard.press("Enter")
    assert region(phone, "right:groin", "front").get_attribute("aria-pressed") == "true"
    phone.keyboard.press("ArrowDown")  # the nearest place below: down the same leg
    second = phone.evaluate("document.activeElement.getAttribute('data-location')")
    assert second == "right:thigh_outer"  # straight below the groin on this drawing
    scrolled = phone.evaluate("window.scrollY")
    phone.keyboard.press("Space")
    assert region(phone, second, "front").get_attribute("aria-pressed") == "true"
    assert phone.evaluate("window.scrollY") == scrolled  # Space toggles; it does not scroll the page
    phone.keyboard.press("Space")
    assert region(phone, second, "front").get_attribute("aria-pressed") == "false"
    assert phone.locator("[data-bodymap-readback]").inner_text() == picker.describe(["right:groin"])
    centre = "(() => { const r = document.activeElement.getBoundingClientRect(); return [r.x + r.width / 2, r.y]; })()"
    before = phone.evaluate(centre)
    phone.keyboard.press("ArrowRight")  # the nearest place to the right, towards the other leg
    after = phone.evaluate(centre)
    assert after[0] > before[0]
    third = phone.evaluate("document.activeElement.getAttribute('data-location')")
    phone.keyboard.press("Tab")  # one stop: Tab leaves the map
    assert phone.evaluate("document.activeElement.closest('[data-bodymap]') === null")
    phone.keyboard.press("Shift+Tab")  # and comes back to the place last focused
    assert phone.evaluate("document.activeElement.getAttribute('data-location')") == third
    tabbable = phone.evaluate("[...document.querySelectorAll('.bodymap .region[tabindex=\"0\"]')].length")
    assert tabbable == 1


def test_every_region_is_a_target_of_at_least_44_px(phone, sign_in):
    sign_in("tom")
    phone.goto("/log/")
    seen = set()
    for view in ("front", "back", "feet"):
        if view in ("front", "back"):
            phone.get_by_role("button", name=view.title(), exact=True).tap()
        shapes = phone.locator(f'[data-view="{view}"] .region')
        assert shapes.count() > 0
        for i in range(shapes.count()):
            shape = shapes.nth(i)
            box = shape.bounding_box()
            key = shape.get_attribute("data-location")
            assert box["width"] >= 44 and box["height"] >= 44, (view, key, box)
            assert shape.is_visible()
            seen.add(key)
    assert seen == {f"{side}:{code}" for side in vocab.SIDES for code in vocab.REGIONS}
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_leg_map_is_drawn_at_its_own_size_so_every_label_has_one_size(phone, sign_in):
    # A unit of the drawing is a CSS pixel on a 390 px phone (app.css, .bodymap-grid): the legs and the feet share one
    # scale, so their labels are one font size, not two a hair apart (each a font lookup more: docs/benchmarks.md).
    sign_in("una")
    phone.goto("/log/")
    sizes = phone.evaluate(
        """() => [...document.querySelectorAll('[data-bodymap] .region text')]
            .filter((text) => text.getClientRects().length)
            .map((text) => {
              const matrix = text.getScreenCTM();
              return parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b);
            })"""
    )
    assert len(sizes) > 20 and set(sizes) == {10.5}


def test_the_form_still_posts_without_javascript(browser, live_server, django_user_model):
    from tests.conftest import make_patient

    patient = make_patient("nojs", password="correct-horse-battery")
    context = browser.new_context(viewport=chromium.PHONE, base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.fill("#id_username", "nojs")
    page.fill("#id_password", "correct-horse-battery")
    page.click("button:has-text('Log in')")
    page.goto("/log/")
    heel = page.locator(".location-list label.chip", has_text="Left heel")
    assert heel.is_visible()  # the map needs scripts: the list is the way in, shown from the first frame
    heel.click()
    page.locator(".chips.severity label", has_text="5").click()
    page.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).click()
    page.locator(".chips.when label", has_text="15 min ago").click()
    page.click("button.log-save")
    page.get_by_text("Episode saved.").wait_for()
    episode = patient.episodes.get()
    assert [(loc.side, loc.region) for loc in episode.locations.all()] == [("left", "heel")]
    ago = dt.datetime.now(dt.UTC) - episode.started_at
    assert dt.timedelta(minutes=14) < ago < dt.timedelta(minutes=16)
    page.get_by_role("button", name="Undo").click()  # Undo is a plain form: it needs no script either
    page.get_by_text("Undone: that episode is no longer in your diary.").wait_for()
    assert not patient.episodes.exists()
    context.close()


def test_the_list_of_places_waits_closed_under_the_map_and_opens_on_one_tap(phone, sign_in):
    sign_in("lena")
    phone.goto("/log/")
    listed = phone.locator(".location-list label.chip", has_text="Left heel")
    assert phone.locator(".location-list").get_attribute("open") is None and not listed.is_visible()
    phone.locator(".location-list summary").tap()
    assert listed.is_visible()
    listed.tap()  # a place ticked in the list is marked on the map too
    assert region(phone, "left:heel").first.get_attribute("aria-pressed") == "true"


def test_minutes_ago_count_back_from_the_tap_even_when_sent_later(phone, sign_in):
    patient = sign_in("mona")
    tapped = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=2)
    phone.clock.install(time=tapped - dt.timedelta(minutes=1))
    phone.goto("/log/")
    phone.clock.pause_at(tapped)  # the phone's clock reads `tapped` when Save is tapped
    region(phone, "left:heel").tap()
    phone.locator(".chips.severity label", has_text="5").tap()
    phone.locator(".chips.duration label").filter(has_text=re.compile(r"^5 min$")).tap()
    phone.locator(".chips.when label", has_text="30 min ago").tap()
    phone.context.set_offline(True)
    phone.locator("button.log-save").tap()
    phone.locator(".queue-saved").wait_for()  # "Saved on this phone, will send when online."
    phone.clock.set_system_time(tapped + dt.timedelta(hours=1))  # back online an hour later
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    for _ in range(100):
        if Episode.objects.exists():
            break
        phone.wait_for_timeout(100)
    assert patient.episodes.get().started_at == tapped - dt.timedelta(minutes=30)


def test_alarm_questions_are_visible_and_open_on_one_tap(phone, sign_in):
    sign_in("ada")
    phone.goto("/log/")
    block = phone.locator(".alarm-check")
    block.scroll_into_view_if_needed()
    assert block.is_visible()
    assert block.locator("summary").inner_text().startswith("Anything else right now?")
    assert phone.locator("input[name=alarm_symptoms]:checked").count() == 0  # never pre-answered
    block.locator("summary").tap()
    groups = block.locator("fieldset.alarm-set legend")
    assert groups.count() >= 3
    every_alarm = [code for code, term in vocab.SYMPTOMS.items() if term.alarm]
    assert block.locator("input[name=alarm_symptoms]").count() == len(every_alarm)
    weak = vocab.SYMPTOMS["leg_weakness"].label
    block.locator("label.chip", has_text=weak).tap()
    assert block.locator("[data-alarm-state]").inner_text() == f"Ticked: {weak}"


# Whether these words of the summary beside Save are on screen whole: inside the summary's box, and not where an
# ellipsis is drawn (the end of the last line of a box that cuts its text, as at 200 % text "How long…" once was).
WHOLE = """(el, words) => {
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.textContent.includes(words)) node = walker.nextNode();
  if (!node) return `"${words}" is not in "${el.textContent}"`;
  const range = document.createRange();
  range.setStart(node, node.textContent.indexOf(words));
  range.setEnd(node, node.textContent.indexOf(words) + words.length);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const ellipsis = document.createElement("canvas").getContext("2d");
  for (let box = node.parentElement; box && el.contains(box); box = box.parentElement) {
    const style = getComputedStyle(box);
    const outer = box.getBoundingClientRect();
    ellipsis.font = style.font;
    const cut = style.textOverflow === "ellipsis" &&
      (box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1);
    const line = parseFloat(style.lineHeight);
    for (const r of rects) {
      // a line's middle inside the box (a glyph's box reaches past a tight line height)
      if ((r.top + r.bottom) / 2 > outer.bottom || r.right > outer.right + 1) return `"${words}" is outside the box`;
      const last = (r.top + r.bottom) / 2 + line > outer.bottom;
      if (cut && last && r.right + ellipsis.measureText("\u2026").width > outer.right + 1) {
        return `"${words}" is cut by the ellipsis`;
      }
    }
  }
  return "";
}"""


@pytest.mark.parametrize("text", [100, 200])
def test_long_places_never_hide_how_bad_and_how_long_beside_save(browser, live_server, text):
    """The summary beside Save ends in an ellipsis when it is too long: what it cuts is the places (shown under the
    map too), not the answers still missing, at 100 % and 200 % text on a 390 px phone."""
    from tests.browser.pages import session_cookie
    from tests.conftest import make_patient

    patient = make_patient("lola")
    context = browser.new_context(viewport=chromium.PHONE, base_url=live_server.url, is_mobile=True, has_touch=True)
    context.add_cookies([session_cookie(patient, live_server.url)])
    phone = context.new_page()
    chromium.set_text_size(phone, text)
    phone.goto("/log/")
    summary = phone.locator("[data-log-summary]")
    assert summary.inner_text() == "How bad? · How long? · Where?"
    for words in ("How bad?", "How long?", "Where?"):  # nothing chosen: it all fits, at 200 % too
        assert summary.evaluate(WHOLE, words) == ""

    for place in ("right:groin", "right:saddle", "left:saddle"):
        region(phone, place, "front").tap()
    phone.locator(".chips.severity label", has_text="5").tap()
    assert summary.inner_text().startswith("5/10 · How long? · ")
    for words in ("5/10", "How long?"):
        assert summary.evaluate(WHOLE, words) == ""

    phone.locator(".chips.when label", has_text="30 min ago").tap()
    assert summary.inner_text().startswith("5/10 · How long? · 30 min ago · ")
    for words in ("5/10", "How long?", "30 min ago"):
        assert summary.evaluate(WHOLE, words) == ""
    save = phone.locator("button.log-save").bounding_box()
    assert save is not None and save["y"] + save["height"] <= chromium.PHONE["height"]
    context.close()


def test_an_arrow_key_moves_within_45_degrees_of_its_direction_or_stays(phone, sign_in):
    """Every place of the front view and the feet, every arrow: where the focus goes is more that way than aside
    (ArrowRight from the left ankle once went up to the left shin)."""
    sign_in("ines")
    phone.goto("/log/")
    moves = phone.evaluate(
        """() => {
          const centre = (el) => {
            const r = el.getBoundingClientRect();
            return [r.x + r.width / 2, r.y + r.height / 2];
          };
          const arrows = { ArrowRight: [1, 0], ArrowLeft: [-1, 0], ArrowDown: [0, 1], ArrowUp: [0, -1] };
          const moves = [];
          for (const shape of document.querySelectorAll(".bodymap-view:not([hidden]) .region")) {
            for (const [key, [dx, dy]] of Object.entries(arrows)) {
              shape.focus();
              shape.dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
              const to = document.activeElement;
              if (to === shape) continue;
              const [a, b] = [centre(shape), centre(to)];
              const along = (b[0] - a[0]) * dx + (b[1] - a[1]) * dy;
              const aside = Math.abs((b[0] - a[0]) * dy + (b[1] - a[1]) * dx);
              moves.push({ from: shape.dataset.location, key, to: to.dataset.location, along, aside });
            }
          }
          return moves;
        }"""
    )
    assert len(moves) > 60  # most places have a neighbour most ways
    wrong = [m for m in moves if m["along"] <= 0 or m["aside"] > m["along"]]
    assert not wrong, wrong
    assert not any(m["from"] == "left:ankle" and m["key"] == "ArrowRight" and m["to"] == "left:shin" for m in moves)
    # Every place is still reached with the arrows from any other.
    places = {m["from"] for m in moves}
    for start in places:
        reached, todo = {start}, [start]
        while todo:
            here = todo.pop()
            for m in moves:
                if m["from"] == here and m["to"] not in reached:
                    reached.add(m["to"])
                    todo.append(m["to"])
        assert reached == places, (start, places - reached)
