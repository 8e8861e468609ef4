"""axe-core finds nothing on any page, in light and in dark mode, at the phone size.

axe-core is vendored under tests/vendor/ (pinned, with its licence) and injected by Playwright; the
browser context bypasses the page's Content-Security-Policy only so that the injected script may run.
"""

from pathlib import Path

import pytest

from tests.browser.chromium import PHONE
from tests.browser.pages import diary_for_pages, session_cookie

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(" | "));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_on_any_page(browser, live_server, scheme):
    patient, pages = diary_for_pages()
    found = []
    for signed_in in (False, True):
        context = browser.new_context(
            viewport=PHONE,
            base_url=live_server.url,
            is_mobile=True,
            has_touch=True,
            color_scheme=scheme,
            bypass_csp=True,
        )
        if signed_in:
            context.add_cookies([session_cookie(patient, live_server.url)])
        page = context.new_page()
        for item in [p for p in pages if p.signed_in == signed_in]:
            assert page.goto(item.path).status == 200, item.name
            page.wait_for_load_state("load")
            page.add_script_tag(path=str(AXE))
            found += [f"{item.name} ({scheme}): {v}" for v in page.evaluate(RUN_AXE)]
        context.close()
    assert not found, "\n".join(found)


def test_no_axe_violations_where_a_page_says_what_the_last_action_did(browser, live_server):
    # The notes at the top of a page ("Link created …") and the new link with its Copy button exist only after a
    # form is sent: the Report page once a share link is made.
    patient, _ = diary_for_pages()
    context = browser.new_context(
        viewport=PHONE, base_url=live_server.url, is_mobile=True, has_touch=True, bypass_csp=True
    )
    context.add_cookies([session_cookie(patient, live_server.url)])
    page = context.new_page()
    page.goto("/report/")
    page.click("button:has-text('Create link for this period')")
    page.wait_for_load_state("load")
    assert page.locator(".messages .message").count() == 1 and page.locator("#new-share-url").count() == 1
    page.add_script_tag(path=str(AXE))
    assert page.evaluate(RUN_AXE) == []
    context.close()
