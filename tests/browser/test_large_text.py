"""200 % text on a 390×844 phone (the browser's own text size, tests/browser/chromium.py), and 320 px: the main
pages reflow with nothing scrolling sideways, overlapping or clipped; the header wraps instead of drawing "Log out"
over the name; every tab label is whole; the warning screen's call button is on the first screen; and a walk with
the Tab key through the log form never leaves the focus under the sticky Save bar or the tab bar (WCAG 2.2, 2.4.11).
"""

import pytest

from tests.browser.chromium import set_text_size
from tests.browser.pages import diary_for_pages, session_cookie
from tests.browser.test_layout import LAYOUT_PROBLEMS

pytestmark = pytest.mark.browser

MAIN_PAGES = ["today", "log", "history", "day", "trends", "settings", "emergency"]
HEIGHT = 844

# The header's items side by side must not cover each other; every tab's label is whole, inside its tab and the
# screen, and no two tabs overlap.
FRAME_PROBLEMS = """() => {
  const problems = [];
  const cover = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
    Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const head = [...document.querySelectorAll("header.top > *")].filter((el) => el.getBoundingClientRect().width > 0);
  for (let i = 0; i < head.length; i++) for (let j = i + 1; j < head.length; j++) {
    if (cover(head[i].getBoundingClientRect(), head[j].getBoundingClientRect())) {
      problems.push(`header: ${head[i].className} over ${head[j].className}`);
    }
  }
  const tabs = [...document.querySelectorAll("nav.tabs a")];
  tabs.forEach((tab, i) => {
    const box = tab.getBoundingClientRect();
    const label = tab.querySelector("span");
    const text = label.getBoundingClientRect();
    if (label.scrollWidth > label.clientWidth + 1 || text.left < box.left - 1 || text.right > box.right + 1 ||
        text.bottom > box.bottom + 1 || box.right > document.documentElement.clientWidth + 1 ||
        box.bottom > innerHeight + 1) {
      problems.push(`tab "${label.textContent}" clipped`);
    }
    tabs.slice(i + 1).forEach((other) => {
      if (cover(box, other.getBoundingClientRect())) problems.push(`tab "${label.textContent}" overlaps another`);
    });
  });
  return problems;
}"""


# With words never broken, would any box of the page overflow? Then a word needs breaking to fit: "Le / ft",
# "Episode / s". (The Save bar reaches past its form's sides on purpose; closed lists and hidden text don't count.)
WORD_PROBLEMS = """() => {
  const strict = new CSSStyleSheet();  // a stylesheet of the script's (a <style> element would break the page's CSP)
  strict.replaceSync("* { overflow-wrap: normal !important; word-break: normal !important; " +
    "hyphens: manual !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, strict];
  const found = [...document.querySelectorAll("main *")].filter((el) =>
    el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !el.querySelector(".log-bar") &&
    !el.matches("input, select, textarea") &&
    !el.closest("details:not([open]), .table-scroll, .visually-hidden") && getComputedStyle(el).overflowX !== "auto"
  ).map((el) => `a word too long for ${el.tagName.toLowerCase()}.${el.className}: ` +
    `"${el.textContent.trim().slice(0, 30)}"`);
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== strict);
  return found;
}"""


# A word of letters drawn on two lines ("Numbne / ss"): what `overflow-wrap: anywhere` does to a table column that
# it lets shrink below its words, which WORD_PROBLEMS, re-laying the page out, does not see. Blocks skipped while off
# screen (content-visibility) are laid out first; closed lists and text clipped for screen readers only (the
# visually-hidden pattern, a phone's table headers) don't count.
BROKEN_WORDS = """() => {
  const all = new CSSStyleSheet();
  all.replaceSync("* { content-visibility: visible !important; }");
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, all];
  const main = document.querySelector("main");
  const clipped = (el) => {
    for (let e = el; e && e !== main; e = e.parentElement) {
      const style = getComputedStyle(e);
      if (style.clip !== "auto" || style.clipPath !== "none") return true;
    }
    return false;
  };
  const broken = [];
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent.checkVisibility() || parent.closest("details:not([open])") || clipped(parent)) continue;
    for (const word of node.textContent.matchAll(/\\p{L}{3,}/gu)) {
      const range = document.createRange();
      range.setStart(node, word.index);
      range.setEnd(node, word.index + word[0].length);
      const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (tops.size > 1) broken.push(`"${word[0]}" broken across lines in ${parent.tagName.toLowerCase()}`);
    }
  }
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter((sheet) => sheet !== all);
  return broken;
}"""


@pytest.fixture
def pages(live_server):
    return diary_for_pages()


def phone_at(browser, base_url, width, text, patient=None):
    """A phone of this width at this text size (percent), signed in as `patient` if given."""
    context = browser.new_context(
        viewport={"width": width, "height": HEIGHT}, base_url=base_url, is_mobile=True, has_touch=True
    )
    if patient is not None:
        context.add_cookies([session_cookie(patient, base_url)])
    page = context.new_page()
    set_text_size(page, text)
    return page


@pytest.mark.parametrize("width, text", [(390, 200), (320, 100), (390, 100)])
def test_the_main_pages_reflow_without_sideways_scroll_overlap_or_clipped_tabs(
    browser, live_server, pages, width, text
):
    patient, every = pages
    listed = {p.name: p for p in every}
    problems = []
    signed_out = phone_at(browser, live_server.url, width, text)
    for page, names in (
        (signed_out, ["signup", "login"]),
        (phone_at(browser, live_server.url, width, text, patient), MAIN_PAGES),
    ):
        for name in names:
            assert page.goto(listed[name].path).status == 200, name
            page.wait_for_load_state("load")
            assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == f"{16 * text // 100}px"
            problems += [f"{name}: {p}" for p in page.evaluate(FRAME_PROBLEMS)]
            problems += [f"{name}: {p}" for p in page.evaluate(WORD_PROBLEMS)]
            problems += [f"{name}: {p}" for p in page.evaluate(BROKEN_WORDS)]
            problems += [f"{name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
        page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width, text", [(390, 200), (320, 100)])
def test_no_page_breaks_a_word_in_two(browser, live_server, pages, width, text):
    """Every page, whole (its blocks below the screen too): a word of letters is never cut across two lines."""
    patient, every = pages
    problems = []
    signed_out = phone_at(browser, live_server.url, width, text)
    signed_in = phone_at(browser, live_server.url, width, text, patient)
    for listed in every:
        page = signed_in if listed.signed_in else signed_out
        assert page.goto(listed.path).status == 200, listed.name
        page.wait_for_load_state("load")
        problems += [f"{listed.name}: {p}" for p in page.evaluate(BROKEN_WORDS)]
        problems += [f"{listed.name}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
        problems += [f"{listed.name}: {p}" for p in page.evaluate(FRAME_PROBLEMS)]
    signed_in.context.close()
    signed_out.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("width, text", [(390, 200), (320, 100)])
def test_a_treatments_comparison_fits_the_screen(browser, live_server, width, text):
    """A comparison with its numbers (enough entries on both sides), on the treatment's page and on Trends with its
    lists opened: its three columns once pushed the page 87 px past a 390 px screen at 200 % text."""
    import datetime as dt

    from django.utils import timezone

    from tests.conftest import add_treatment, log, make_patient

    patient = make_patient("cora", tz="Europe/London")
    now = timezone.now()
    for days in range(60):
        log(patient, started_at=now - dt.timedelta(days=days, hours=2), duration_minutes=10, severity=2 + days % 5)
    pregabalin = add_treatment(patient, started_on=timezone.localdate() - dt.timedelta(days=30))
    page = phone_at(browser, live_server.url, width, text, patient)
    problems = []
    for path in (f"/treatments/{pregabalin.id}/", "/trends/"):
        page.goto(path)
        page.evaluate("document.querySelectorAll('main details').forEach((d) => { d.open = true; })")
        assert page.locator(".comparison-numbers").count() >= 1, path  # the numbers are shown
        problems += [f"{path}: {p}" for p in page.evaluate(LAYOUT_PROBLEMS) + page.evaluate(BROKEN_WORDS)]
    page.context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text", [100, 200, 300])
def test_the_call_button_is_on_the_first_screen_at_any_text_size(browser, live_server, pages, text):
    patient, every = pages
    page = phone_at(browser, live_server.url, 390, text, patient)
    page.goto(next(p.path for p in every if p.name == "emergency"))
    call = page.get_by_role("link", name="Call 999 now")
    box = call.bounding_box()
    fold = page.locator("nav.tabs").bounding_box()["y"]  # the tab bar covers the bottom of the screen
    assert box is not None and box["y"] + box["height"] <= fold, (box, fold)  # not 2,145 px down
    assert page.evaluate("window.scrollY") == 0
    page.context.close()


# The box a focused element shows on screen (a chip's pill for its hidden input, the element itself otherwise),
# once the page has settled (two frames: the browser's scrolling, then the page's own).
FOCUSED_BOX = """async () => {
  await new Promise((settled) => requestAnimationFrame(() => requestAnimationFrame(settled)));
  const el = document.activeElement;
  const shown = el.closest("label.chip") || el;
  const r = shown.getBoundingClientRect();
  const bars = [...document.querySelectorAll(".log-bar, nav.tabs")].filter((bar) => !bar.contains(el))
    .map((bar) => bar.getBoundingClientRect());
  const covered = bars.some((b) => Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top) > 1 &&
    Math.min(r.right, b.right) - Math.max(r.left, b.left) > 1);
  const name = el.getAttribute("data-location") || el.name + "=" + (el.value || "") || el.tagName;
  return {name, top: r.top, bottom: r.bottom, covered, inForm: !!el.closest(".log-form")};
}"""


@pytest.mark.parametrize("text", [100, 200])
def test_a_walk_with_tab_through_the_log_form_never_hides_the_focus(browser, live_server, pages, text):
    patient, _ = pages
    page = phone_at(browser, live_server.url, 390, text, patient)
    page.goto("/log/")
    page.locator(".alarm-check summary").click()  # the alarm questions open, as a patient checking them would
    page.locator(".more-details summary").click()
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(".log-form input[name=when]").first.focus()
    seen, problems = [], []
    for _ in range(200):
        where = page.evaluate(FOCUSED_BOX)
        if not where["inForm"]:
            break
        seen.append(where["name"])
        if where["covered"] or where["top"] < 0 or where["bottom"] > HEIGHT:
            problems.append(where)
        page.keyboard.press("Tab")
    assert "severity=0" in seen and "relieved_by=nothing" in seen and "notes=" in seen, seen
    assert sum(name.startswith(("left:", "right:")) for name in seen) == 1  # the leg map is one stop
    assert not problems, problems
    page.context.close()


def test_the_focus_ring_of_a_map_region_is_drawn_above_the_map(browser, live_server, pages):
    patient, _ = pages
    page = phone_at(browser, live_server.url, 390, 100, patient)
    page.goto("/log/")
    page.get_by_role("button", name="Back", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('data-location')")
    ring = page.locator("[data-view=front] .focus-ring")  # the view shown
    assert ring.evaluate("r => r.classList.contains('on') && getComputedStyle(r).strokeWidth") == "4px"
    assert ring.evaluate("r => r === r.parentNode.lastElementChild")  # drawn after every region: nothing covers it
    page.keyboard.press("Tab")
    assert not ring.evaluate("r => r.classList.contains('on')")
    page.context.close()


@pytest.mark.parametrize("text", [100, 200])
def test_the_saved_note_keeps_its_words_on_long_lines_and_undo_in_reach(browser, live_server, pages, text):
    """At 100 % Undo sits beside "Episode saved. Left heel · 5/10"; at 200 % the words would wrap a word a line
    beside it (a column 110 px wide), so Undo goes under them, at the end of its row."""
    patient, _ = pages
    page = phone_at(browser, live_server.url, 390, text, patient)
    page.goto("/log/")
    page.locator('.region[data-location="left:heel"]').tap()
    page.locator(".chips.severity label", has_text="5").tap()
    page.locator(".chips.duration label", has_text="1 min").tap()
    page.locator("button.log-save").tap()
    note = page.locator(".just-saved")
    words, undo = note.locator("p").bounding_box(), note.get_by_role("button", name="Undo").bounding_box()
    box = note.bounding_box()
    assert words is not None and undo is not None and box is not None
    assert note.locator("p").inner_text() == "Episode saved. Left heel · 5/10"
    if text == 100:
        assert undo["y"] < words["y"] + words["height"] and undo["x"] >= words["x"] + words["width"]  # beside
    else:
        assert undo["y"] >= words["y"] + words["height"]  # under the words, which have the note's width
        assert words["width"] > 0.8 * box["width"], (words, box)
        assert undo["x"] + undo["width"] == pytest.approx(words["x"] + words["width"], abs=1)  # at the row's end
    page.context.close()
