"""The shared report as a physician sees it, on a phone (390 px) and a desktop (1280 px): no section
drawn over another, no sideways scrolling, no text under 12 px, and the link's expiry shown."""

import datetime as dt

import pytest

from report import sharing
from tests.conftest import log, make_patient
from triage.review import review_patient

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const boxes = [...document.querySelectorAll('.shared-bar, article.report > header, article.report > section')]
    .map(el => { const r = el.getBoundingClientRect();
                 return {name: el.className, top: r.top + scrollY, bottom: r.bottom + scrollY,
                         left: r.left, right: r.right}; });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5 && a.left < b.right - 0.5 && b.left < a.right - 0.5)
      overlaps.push(a.name + ' / ' + b.name);
  }
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.textContent.trim() || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || el.closest('title, .visually-hidden')) continue;
    let size = parseFloat(style.fontSize);
    // SVG text is scaled (and maybe turned) with its drawing.
    if (el instanceof SVGElement) { const m = el.getScreenCTM(); size *= Math.hypot(m.a, m.b); }
    if (size < 11.99) small.push(`${node.textContent.trim().slice(0, 30)} (${size.toFixed(1)}px)`);
  }
  // Words split across two lines in a table's cell ("Treatm / ent"): each word of a shown cell on one line (words
  // of Latin letters: Japanese, with no spaces, wraps between its characters, as it should).
  const broken = [];
  for (const cell of document.querySelectorAll('th, td')) {
    if (getComputedStyle(cell).display !== 'table-cell' || cell.closest('.visually-hidden')) continue;
    const text = cell.firstChild;
    if (!text || text.nodeType !== Node.TEXT_NODE) continue;
    for (const match of text.textContent.matchAll(/[A-Za-z\u00c0-\u024f]+/g)) {
      const range = document.createRange();
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) broken.push(match[0]);
    }
  }
  return {sections: boxes.length, overlaps, small, broken,
          scroll: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.fixture
def shared_url(db, live_server):
    patient = make_patient("nadia")
    patient.first_name, patient.last_name = "Nadia", "Haddad"
    patient.save()
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for day in range(1, 30):
        log(patient, started_at=now - dt.timedelta(days=day, hours=day % 5), duration_minutes=5 + day % 20,
            severity=2 + day % 6, triggers=["sitting", "crossed_legs"][: 1 + day % 2],
            relieved_by=["changed_position"], locations=[("left", "toes"), ("left", "thigh_outer")][: 1 + day % 2],
            notes="Long drive, numb toes the whole way 🦶 日本語のメモ" if day % 7 == 0 else "")  # fmt: skip
    log(patient, started_at=now - dt.timedelta(days=3, hours=2), symptoms=["speech_difficulty", "back_pain"])
    review_patient(patient.pk)
    today = now.date()
    new = sharing.create_link(patient=patient, first=today - dt.timedelta(days=90), last=today,
                              questions="Could this come from my back?\nShould I stop cycling to work?")  # fmt: skip
    return f"{live_server.url}/share/{new.token}/", new.link


@pytest.mark.parametrize("width", [390, 1280])
def test_the_shared_report_fits_and_is_readable(browser, shared_url, width):
    url, link = shared_url
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(url)
    assert page.get_by_role("heading", name="Nadia Haddad").is_visible()
    assert page.get_by_text(f"This link works until {link.expires_at:%-d %b %Y %H:%M} UTC").is_visible()
    assert page.get_by_text("Could this come from my back?").is_visible()
    assert page.get_by_text("Possible stroke or TIA").first.is_visible()
    note = page.locator(".episodes .notes").filter(has_text="日本語").first
    note.scroll_into_view_if_needed()  # the browser may skip drawing an episode far down the page until it is near
    assert note.inner_text().endswith("🦶 日本語のメモ")
    page.screenshot(path=f"/tmp/rp/shared-{width}.png", full_page=True)
    measured = page.evaluate(MEASURE)
    context.close()
    assert measured["sections"] >= 9
    assert measured["overlaps"] == []
    assert measured["scroll"] <= 0
    assert measured["small"] == []
    assert measured["broken"] == []
