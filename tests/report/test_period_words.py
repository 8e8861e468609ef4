"""A period is said in the same words on Trends, on the Report page, in its share links and in the report itself
(`diary.clock.span_words`): the patient and the physician read one period one way. Each worked out by hand."""

import datetime as dt
import re

import pytest
import time_machine

from diary.clock import span_words
from report import sharing
from tests.conftest import log

NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("first", "last", "words"),
    [
        (dt.date(2026, 9, 3), dt.date(2026, 12, 1), "3 Sep – 1 Dec 2026"),  # one year: it is said once
        (dt.date(2026, 6, 2), dt.date(2026, 6, 15), "2–15 Jun 2026"),  # one month too
        (dt.date(2025, 12, 28), dt.date(2026, 1, 3), "28 Dec 2025 – 3 Jan 2026"),  # across a new year
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30), "30 Nov 2026"),  # one day
    ],
)
@time_machine.travel(NOW, tick=False)
def test_trends_the_report_page_and_its_links_say_a_period_alike(web, patient, first, last, words):
    assert span_words(first, last) == words
    log(patient, started_at=dt.datetime(2025, 11, 1, 9, 0, tzinfo=dt.UTC))  # the diary began before every period
    query = {"start": first.isoformat(), "end": last.isoformat()}
    said = {}
    for page in ("/trends/", "/report/"):
        html = web.get(page, query).content.decode()
        found = re.search(r'<p class="period">([^<·:]+)', html)
        assert found, page
        said[page] = found.group(1).strip()
    assert said == {"/trends/": words, "/report/": words}
    sharing.create_link(patient=patient, first=first, last=last)
    assert f"<strong>{words}</strong> · active" in web.get("/report/").content.decode()
