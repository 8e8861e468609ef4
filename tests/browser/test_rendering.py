"""What the browser does while a page loads (issue #25): nothing on the page moves, and the blocks below the first
screen are left undrawn (content-visibility: auto) until they come near, then drawn in place.

How fast that is, is measured by `make bench-web` (docs/benchmarks.md), never here: these tests check the means.
"""

import pytest

from tests.browser import chromium
from tests.browser.pages import diary_for_pages, session_cookie

pytestmark = pytest.mark.browser

# The page's layout shifts, as Lighthouse counts them (CLS), from the first frame on: their sum, and what moved.
RECORD_SHIFTS = """
window.layoutShift = { total: 0, moved: [] };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.layoutShift.total += entry.value;
    for (const s of entry.sources || []) {
      const n = s.node;
      const name = n && n.nodeType === 1 ? n.tagName.toLowerCase() + (n.id ? "#" + n.id : "") : "text";
      window.layoutShift.moved.push(`${name} ${Math.round(s.previousRect.y)}→${Math.round(s.currentRect.y)}`);
    }
  }
}).observe({ type: "layout-shift", buffered: true });
"""
# Lighthouse shows CLS to three decimals: below this it says 0. (The log form's Save bar re-centres its one-line
# summary when logform.js makes it two lines, on an episode being edited: about 0.0003.)
NOTHING = 0.001


# Every block the stylesheet lets the browser skip, where it starts, and whether its content is drawn now.
SKIPPABLE = """() => [...document.querySelectorAll("main *")]
  .filter((el) => getComputedStyle(el).contentVisibility === "auto")
  .map((el, index) => ({
    index,
    name: el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + [...el.classList].join("."),
    top: el.getBoundingClientRect().top + scrollY,
    drawn: !el.firstElementChild || el.firstElementChild.checkVisibility({ contentVisibilityAuto: true }),
  }))"""
NTH_DRAWN = """(index) => {
  const el = [...document.querySelectorAll("main *")]
    .filter((e) => getComputedStyle(e).contentVisibility === "auto")[index];
  return el.firstElementChild.checkVisibility({ contentVisibilityAuto: true }) && el.getBoundingClientRect().height;
}"""


@pytest.fixture
def every_page(live_server):
    return diary_for_pages()


@pytest.mark.parametrize("width", [390, 412])  # the reference phone; Lighthouse's mobile screen
def test_nothing_moves_while_a_page_loads(browser, live_server, every_page, width):
    patient, pages = every_page
    problems = []
    for signed_in in (False, True):
        context = browser.new_context(
            viewport={"width": width, "height": 844}, base_url=live_server.url, is_mobile=True, has_touch=True
        )
        if signed_in:
            context.add_cookies([session_cookie(patient, live_server.url)])
        context.add_init_script(RECORD_SHIFTS)
        page = context.new_page()
        # Settings offers the phone's time zone when it differs from the saved one: that line appears after load.
        for item in [p for p in pages if p.signed_in == signed_in and p.name != "settings"]:
            page.goto(item.path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # a frame or two after the scripts
            shift = page.evaluate("window.layoutShift")
            if shift["total"] >= NOTHING:
                problems.append(f"{item.name} at {width}px: {shift['total']:.4f} ({', '.join(shift['moved'])})")
        context.close()
    assert problems == []


@pytest.mark.parametrize("path, height", [("/log/", 500), ("/trends/", 844), ("/history/", 844)])
def test_blocks_far_below_the_first_screen_are_drawn_when_they_come_near(
    browser, live_server, every_page, path, height
):
    # The log form is checked on a short screen (a small phone, or one held sideways), where it is five screens long.
    patient, _ = every_page
    context = browser.new_context(
        viewport={"width": 390, "height": height}, base_url=live_server.url, is_mobile=True, has_touch=True
    )
    context.add_cookies([session_cookie(patient, live_server.url)])
    page = context.new_page()
    page.goto(path)
    page.wait_for_load_state("networkidle")
    far = [block for block in page.evaluate(SKIPPABLE) if block["top"] > 3 * height]  # Chromium draws 1.5 screens ahead
    assert far, f"{path} has no skippable block far below its first screen"
    assert [block["name"] for block in far if block["drawn"]] == []
    last = far[-1]
    page.evaluate(f"window.scrollTo(0, {last['top'] - height / 2})")
    page.wait_for_function(NTH_DRAWN, arg=last["index"])
    assert page.evaluate(NTH_DRAWN, last["index"]) > 40  # drawn at its own height
    context.close()


def test_without_javascript_the_log_form_shows_what_it_needs(browser, live_server, every_page):
    # The date and minutes fields follow Earlier and Other from the first frame, by the stylesheet alone (logform.js
    # only does the same again); the leg map, a picture here, shows its back as well as its front.
    patient, _ = every_page
    context = browser.new_context(
        viewport=chromium.PHONE, base_url=live_server.url, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    context.add_cookies([session_cookie(patient, live_server.url)])
    page = context.new_page()
    page.goto("/log/")
    assert page.locator(".bodymap-back svg").is_visible() and page.locator(".bodymap-front svg").is_visible()
    earlier, minutes = page.locator(".when-earlier"), page.locator(".duration-custom")
    assert not earlier.is_visible() and not minutes.is_visible()
    choose = page.keyboard.press  # the radio buttons by keyboard: the sticky Save bar would take a tap
    page.locator("input[name=when][value=earlier]").focus()
    choose("Space")
    page.locator("input[name=duration][value=custom]").focus()
    choose("Space")
    assert earlier.is_visible() and minutes.is_visible()
    page.locator("input[name=when][value=now]").focus()
    choose("Space")
    assert not earlier.is_visible() and minutes.is_visible()
    context.close()


# The font families that drew each element's text, as Chromium reports them (CSS.getPlatformFontsForNode): a
# character missing from the page's font is drawn from another, found by trying every family of the stack and then
# the system's fallback, each a synchronous call to the browser process during the first layout.


def fonts_drawn(page) -> dict[str, set[str]]:
    """Each platform font family a page has drawn text in, with the elements (tag.class) that used it."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    used: dict[str, set[str]] = {}
    for node in cdp.send("DOM.querySelectorAll", {"nodeId": root, "selector": "body *"})["nodeIds"]:
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        if fonts:
            described = cdp.send("DOM.describeNode", {"nodeId": node})["node"]
            pairs = described.get("attributes", [])
            attributes = dict(zip(pairs[::2], pairs[1::2], strict=True))
            name = described["localName"] + "".join(f".{c}" for c in attributes.get("class", "").split())
            for font in fonts:
                used.setdefault(font["familyName"], set()).add(name)
    cdp.detach()
    return used


def test_every_page_draws_its_text_in_the_one_font_it_asks_for(browser, live_server, every_page):
    # Each page's text comes from one font, the one the stylesheet's stack finds first: no character of the page's
    # own (a disclosure triangle, a "≥") sends the first layout looking through the system's fonts.
    # The physician's shared page marks alarm rows with "⚠" (in its PDF's font, DejaVu Sans); it is left out here.
    patient, pages = every_page
    problems = []
    for signed_in in (False, True):
        context = browser.new_context(viewport=chromium.PHONE, base_url=live_server.url, is_mobile=True, has_touch=True)
        if signed_in:
            context.add_cookies([session_cookie(patient, live_server.url)])
        page = context.new_page()
        for item in [p for p in pages if p.signed_in == signed_in and p.name != "shared-report"]:
            page.goto(item.path)
            page.wait_for_load_state("networkidle")
            used = fonts_drawn(page)
            if len(used) != 1:
                problems.append(f"{item.name}: {used}")
        context.close()
    assert problems == []
