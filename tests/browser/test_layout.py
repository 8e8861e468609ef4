"""Every page at 320, 390, 768 and 1280 px: no horizontal scroll and no two page sections overlapping.

Sections are the page's top-level blocks (header, messages, main, the tab bar) and the blocks directly
inside <main>. The check runs scrolled to the bottom, where the fixed tab bar must not cover the end
of the page. Pages come from tests/browser/pages.py, so a page added there is checked here.
"""

import pytest

from tests.browser.pages import diary_for_pages, session_cookie

pytestmark = pytest.mark.browser

WIDTHS = [320, 390, 768, 1280]

# Returns a list of problems on the page as it is shown.
LAYOUT_PROBLEMS = """() => {
  window.scrollTo(0, document.documentElement.scrollHeight);
  const problems = [];
  const doc = document.documentElement;
  // The screen's width: on a phone the layout viewport (innerWidth) grows to content that is too wide, so that the
  // page is as wide as what overflows it; the root's clientWidth stays the device's.
  const screenWidth = doc.clientWidth;
  if (doc.scrollWidth > screenWidth) problems.push(`scrolls sideways: ${doc.scrollWidth}px wide`);
  const shown = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden" && box.width > 2 && box.height > 2 &&
      !el.classList.contains("skip") && el.tagName !== "SCRIPT";
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.classList.length ? "." + [...el.classList].join(".") : "");
  const overlaps = (group, label) => {
    const items = group.filter(shown).map((el) => [el, el.getBoundingClientRect()]);
    for (let i = 0; i < items.length; i++) {
      for (let j = i + 1; j < items.length; j++) {
        const [a, ra] = items[i], [b, rb] = items[j];
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 1 && y > 1) {
          problems.push(`${label}: ${name(a)} overlaps ${name(b)} by ${Math.round(x)}x${Math.round(y)}px`);
        }
      }
    }
  };
  overlaps([...document.body.children], "page");
  const main = document.querySelector("main");
  if (main) overlaps([...main.children], "main");
  // A wide table or a year's calendar may scroll sideways in a box of its own, when that box fits the screen.
  const inOwnScroller = (el) => {
    for (let box = el.parentElement; box && box !== main; box = box.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(box).overflowX)) {
        return box.getBoundingClientRect().right <= screenWidth + 1;
      }
    }
    return false;
  };
  for (const el of document.querySelectorAll("main *")) {
    const box = el.getBoundingClientRect();
    if (shown(el) && box.right > screenWidth + 1 && getComputedStyle(el).position !== "fixed" &&
        !el.closest("details:not([open])") && !inOwnScroller(el)) {
      problems.push(`sticks out on the right: ${name(el)} to ${Math.round(box.right)}px`);
      break;
    }
  }
  return problems;
}"""


@pytest.fixture
def every_page(live_server):
    return diary_for_pages()


@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_without_overlap(browser, live_server, every_page, width):
    patient, pages = every_page
    problems = []
    for signed_in in (False, True):
        context = browser.new_context(
            viewport={"width": width, "height": 844}, base_url=live_server.url, is_mobile=width < 768, has_touch=True
        )
        if signed_in:
            context.add_cookies([session_cookie(patient, live_server.url)])
        page = context.new_page()
        for item in [p for p in pages if p.signed_in == signed_in]:
            response = page.goto(item.path)
            assert response.status == 200, f"{item.name} at {width}px answered {response.status}"
            page.wait_for_load_state("load")
            problems += [f"{item.name} at {width}px: {p}" for p in page.evaluate(LAYOUT_PROBLEMS)]
        context.close()
    assert not problems, "\n".join(problems)
