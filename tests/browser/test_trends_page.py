"""Trends for the demo account on a phone: every chart drawn on the server as SVG, every data table there."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command

from tests.conftest import log

pytestmark = pytest.mark.browser

# Every text of every chart as the phone lays it out: any drawn (partly) outside its chart, any two that touch.
LABELS = """() => [...document.querySelectorAll('svg.chart-svg')].flatMap(svg => {
  const s = svg.getBoundingClientRect(), texts = [...svg.querySelectorAll('text')];
  const boxes = texts.map(t => [t.textContent, t.getBoundingClientRect()]);
  const outside = boxes.filter(([, r]) => r.left < s.left - .5 || r.right > s.right + .5 || r.top < s.top - .5
                                          || r.bottom > s.bottom + .5).map(([text]) => `${text} outside`);
  const touching = boxes.flatMap(([a, r], i) => boxes.slice(i + 1).filter(([, q]) =>
    r.left < q.right && q.left < r.right && r.top < q.bottom - 3 && q.top < r.bottom - 3).map(([b]) => `${a} / ${b}`));
  return outside.concat(touching).map(problem => `${svg.getAttribute('aria-label')}: ${problem}`);
})"""


def test_demo_trends_draw_every_chart(phone, db):
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    from triage.review import review_patient

    review_patient(get_user_model().objects.get(username="demo").pk)  # the demo diary holds open patterns
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "demo")
    phone.fill("#id_password", "demo-diary")
    phone.click("button:has-text('Log in')")
    requests = []
    phone.on("request", lambda request: requests.append(request.url))
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.goto("/trends/")

    for chart in ("chart-frequency", "chart-calendar", "chart-severity", "chart-duration", "chart-hours"):
        svg = phone.locator(f"#{chart} svg")
        svg.scroll_into_view_if_needed()
        box = svg.bounding_box()
        assert box["height"] > 100 and box["width"] > 250, chart
    assert phone.locator("#chart-frequency rect.bar").count() >= 10  # 13 weeks, nearly all with episodes
    assert phone.locator("#chart-hours rect.bar.night").count() >= 1
    assert phone.locator("#chart-calendar rect.day-numbness").count() > 10
    assert phone.locator("#chart-calendar text", has_text="Mon").count() == 1
    mean = phone.locator("#chart-severity polyline.mean")
    assert mean.bounding_box()["width"] > 200  # the weekly mean line is drawn across the chart
    assert phone.locator("#chart-frequency line.flag-mark").count() >= 1  # open flags marked where they fired
    mark = phone.locator("#chart-frequency line.flag-mark").first
    mark.scroll_into_view_if_needed()
    box = mark.bounding_box()
    middle = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
    # Drawn over the bars, it lets a tap through to the column's link under it.
    assert phone.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('a.bar-link')", middle)
    assert phone.locator(".flag-marks li[data-flag-date]").count() >= 1
    assert phone.locator(".heatmap .heat-4").count() >= 1  # the most involved place is shaded darkest
    for view in ("front", "back", "feet"):  # each view of the legs, the calves on the back among them
        drawn = phone.locator(f".heatmap .bodymap-{view} svg")
        drawn.scroll_into_view_if_needed()
        assert drawn.is_visible() and drawn.bounding_box()["height"] > 100, view
    assert phone.locator(".heatmap .bodymap-back .region:not(.heat-0)").count() >= 1  # the demo's left calf
    assert phone.locator("table.data").count() >= 7  # weeks, severity, hours, 3 ranked lists, places
    assert phone.locator(".insights li").count() >= 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator("#chart-frequency text", has_text=re.compile(r"^\d\d [A-Z][a-z]{2}$")).count() >= 4
    assert phone.evaluate(LABELS) == []  # no axis label cut off at an edge or drawn over another
    assert not [url for url in requests if "chart" in url.lower()]  # no chart library or chart script
    assert errors == []

    # A bar is a link to that week in History (the one before the last: the last may be just today).
    last_bar = phone.locator("#chart-frequency a.bar-link").nth(-2)
    label = last_bar.get_attribute("aria-label")
    last_bar.scroll_into_view_if_needed()
    last_bar.click()
    phone.wait_for_url(re.compile(r"/history/\?from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d"))
    assert label.startswith("Week of")
    assert phone.locator("section.day").count() >= 1


# Each shaded place as the page paints it: its shade, fill and label colour; and each key of the legend.
PAINTED = """() => ({
  regions: [...document.querySelectorAll(".heatmap .region")].map((g) => ({
    heat: [...g.classList].find((c) => c.startsWith("heat-")),
    fill: getComputedStyle(g.querySelector("path")).fill,
    ink: getComputedStyle(g.querySelector("text")).fill,
    outline: getComputedStyle(g.querySelector("text")).stroke,
  })),
  keys: Object.fromEntries([...document.querySelectorAll(".heat-legend .key")].map((k) =>
    [[...k.classList].find((c) => c.startsWith("heat-")), getComputedStyle(k).backgroundColor])),
  page: getComputedStyle(document.body).backgroundColor,
  dash: getComputedStyle(document.querySelector(".flag-key .key-dash")).borderTopStyle,
})"""


def hex_of(rgb: str) -> str:
    return "#" + "".join(f"{int(n):02x}" for n in re.findall(r"\d+", rgb)[:3])


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_heat_maps_legend_and_labels_are_true_in_both_modes(browser, live_server, scheme):
    from tests.browser import chromium
    from tests.browser.pages import diary_for_pages, session_cookie
    from tests.contrast import contrast

    patient, _ = diary_for_pages()  # 22 episodes on the left sole: the busiest place
    for place, times in ((("right", "calf"), 1), (("right", "knee"), 8), (("left", "heel"), 14)):  # every shade
        for n in range(times):
            log(patient, started_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=n + 1, hours=2), locations=[place])
    context = browser.new_context(viewport=chromium.PHONE, base_url=live_server.url, color_scheme=scheme)
    context.add_cookies([session_cookie(patient, live_server.url)])
    page = context.new_page()
    page.goto("/trends/")
    painted = page.evaluate(PAINTED)
    context.close()
    shades = {r["heat"]: r["fill"] for r in painted["regions"]}
    assert set(shades) == {f"heat-{n}" for n in range(5)}
    for heat, colour in painted["keys"].items():  # the key of each shade is the colour the map uses for it
        assert colour == shades[heat], (heat, colour, shades[heat])
    page_colour = hex_of(painted["page"])
    distance = [
        contrast(hex_of(painted["keys"][f"heat-{n}"]), page_colour) for n in range(5) if f"heat-{n}" in painted["keys"]
    ]
    assert distance == sorted(distance)  # the more episodes, the further from the page: dark mode too
    for region in painted["regions"]:
        assert contrast(hex_of(region["fill"]), hex_of(region["ink"])) >= 4.5, region
        assert region["outline"] == "none", region  # the letters in their ink alone, no grey edge blurring them
    assert painted["dash"] == "dashed"  # the flag line's key is drawn, not only a tooltip


# Counts what makes the phone load its locale data (ICU): the first date or number formatter of a page costs a phone
# about 35 ms (docs/benchmarks.md#web). Trends, whose only date is its period (in the report's words), needs none.
COUNT_FORMATTERS = """(() => {
  window.formatters = [];
  for (const [owner, name] of [[Intl, "DateTimeFormat"], [Intl, "NumberFormat"]]) {
    const made = owner[name];
    const note = () => window.formatters.push(name);
    owner[name] = new Proxy(made, {
      construct(target, args) { note(); return new target(...args); },
      apply(target, self, args) { note(); return target(...args); },
    });
  }
  for (const [proto, name] of [[Date.prototype, "toLocaleDateString"], [Date.prototype, "toLocaleTimeString"],
                               [Date.prototype, "toLocaleString"], [Number.prototype, "toLocaleString"]]) {
    const used = proto[name];
    proto[name] = function (...args) { window.formatters.push(name); return used.apply(this, args); };
  }
})();"""


def test_trends_makes_no_date_formatter_and_a_page_with_times_does(phone, db):
    call_command("seed_demo", stdout=io.StringIO())
    phone.add_init_script(COUNT_FORMATTERS)
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "demo")
    phone.fill("#id_password", "demo-diary")
    phone.click("button:has-text('Log in')")
    phone.goto("/trends/")
    phone.wait_for_load_state("load")
    assert phone.evaluate("window.formatters") == []
    assert re.fullmatch(r"\d{1,2}( \w{3})?–?.* \d{4} · \d+ days", phone.locator(".period").inner_text())
    phone.goto("/history/")  # the count sees a formatter where one is made: History writes its times
    phone.wait_for_load_state("load")
    assert "DateTimeFormat" in phone.evaluate("window.formatters")
