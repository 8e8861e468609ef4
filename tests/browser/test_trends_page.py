"""Trends for the demo account on a phone: every chart drawn with data, every data table there."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

PAINTED_PIXELS = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
  return painted;
}"""


def test_demo_trends_draw_every_chart(phone, db):
    call_command("seed_demo", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    from triage.review import review_patient

    review_patient(get_user_model().objects.get(username="demo").pk)  # the demo diary holds open patterns
    phone.goto("/accounts/login/")
    phone.fill("#id_username", "demo")
    phone.fill("#id_password", "demo-diary")
    phone.click("button:has-text('Log in')")
    phone.goto("/trends/")
    errors = []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.reload()

    for chart in ("chart-weeks", "chart-severity", "chart-duration", "chart-hours"):
        canvas = phone.locator(f"#{chart}")
        canvas.scroll_into_view_if_needed()
        assert canvas.bounding_box()["height"] > 100, chart
        assert canvas.evaluate(PAINTED_PIXELS) > 2000, f"{chart} is empty"
    assert phone.locator(".heatmap .region.heat-4").count() >= 1  # the most involved place is shaded darkest
    assert phone.locator(".calendar li.day-numbness").count() > 10
    assert phone.locator("table.data").count() >= 7  # weeks, severity, hours, 3 ranked lists, places
    assert phone.locator(".insights li").count() >= 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert phone.locator(".flag-marks li[data-flag-date]").count() >= 1  # open flags marked where they fired
    assert errors == []
