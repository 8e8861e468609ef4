"""Trend numbers on vignette diaries, checked by hand; the page and API; constant query counts."""

import datetime as dt
import math
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary import services, trends
from diary.charts import WEB
from diary.interchange import import_diary
from diary.models import Episode, EpisodeLocation
from diary.overview import load_trends
from tests.conftest import FIXTURE_VIGNETTES, SHARED_VIGNETTES, load_vignette, log, make_patient

# These numbers were checked by hand on the worked examples beside the repository; a clone without
# ../shared skips them (the project's own cases in tests/fixtures/vignettes are always tested).
NEEDS_SHARED = pytest.mark.skipif(not SHARED_VIGNETTES.is_dir(), reason="hand-checked on ../shared/vignettes")


def vignette_trends(name: str, first: dt.date, last: dt.date, folder=SHARED_VIGNETTES):
    patient = make_patient(name)
    import_diary(patient=patient, document=load_vignette(folder / f"{name}.json")["diary"])
    return load_trends(patient, patient.profile.zone, first, last)


@NEEDS_SHARED
def test_benign_crossed_legs_january_and_february(db):
    t = vignette_trends("benign-crossed-legs", dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert (t.days, t.episodes, t.days_logged, t.days_with_numbness, t.days_not_logged) == (59, 9, 9, 9, 50)
    assert (t.median_minutes, t.mean_severity) == (5, 2.8)  # durations 2 3 4 4 5 6 6 8 8; severities sum 25
    assert [(r.code, r.count, r.share) for r in t.triggers] == [("sitting", 5, 0.556), ("crossed_legs", 4, 0.444)]
    assert [(r.code, r.count, r.share) for r in t.sensations] == [("numbness", 9, 1.0), ("tingling", 9, 1.0)]
    assert [(r.code, r.count) for r in t.relief] == [("changed_position", 9)]
    assert t.regions == {"left:sole": 2, "right:sole": 2, "left:top_of_foot": 3, "right:toes": 2}
    assert {h: n for h, n in enumerate(t.hours) if n} == {9: 3, 13: 4, 19: 2}
    assert [w.start for w in t.weeks][:2] == [dt.date(2025, 12, 29), dt.date(2026, 1, 5)]
    assert [(w.days_in_range, w.episodes) for w in (t.weeks[0], t.weeks[-1])] == [(4, 1), (6, 1)]
    assert len(t.weeks) == 9
    assert t.insights == [
        "Episodes after sitting lasted 5 min on median, after crossed legs 6 min (5 and 4 episodes).",
        "Left leg only in 5 of 9 episodes, right leg only in 4, both legs in 0.",
        "“Changing position” was noted as helping in 9 of 9 episodes.",
        "Nothing was logged on 50 of 59 days; those days are left out, not counted as days without numbness.",
    ]


@NEEDS_SHARED
def test_escalating_severity_last_four_weeks(db):
    t = vignette_trends("escalating-severity", dt.date(2026, 2, 2), dt.date(2026, 3, 1))
    assert (t.episodes, t.mean_severity, t.median_minutes) == (6, 5.3, 6)
    assert [(w.start.day, w.episodes, w.mean_severity, w.median_minutes) for w in t.weeks] == [
        (2, 1, 2.0, 5),
        (9, 1, 2.0, 5),
        (16, 2, 7.0, 6),
        (23, 2, 7.0, 6),
    ]
    assert [(r.code, r.count, r.share) for r in t.sensations] == [("numbness", 6, 1.0), ("burning", 4, 0.667)]
    assert t.regions == {"left:toes": 6}
    assert "Most episodes started in the evening: 6 of 6." in t.insights


def test_days_are_numbness_none_or_not_logged():
    day = dt.date(2026, 5, 1)
    calendar = trends.day_states([], {day: False, day + dt.timedelta(days=1): True}, day, day + dt.timedelta(days=2))
    assert [state for _, state in calendar] == ["none", "numbness", "not_logged"]


def test_too_few_episodes_are_said_plainly(db):
    t = vignette_trends("flight-then-chest-pain", dt.date(2026, 6, 1), dt.date(2026, 6, 15), FIXTURE_VIGNETTES)
    assert t.insights == [
        "Only 2 episodes in this period: too few to say anything about patterns (that needs at least 5)."
    ]
    empty = trends.compute([], {}, dt.date(2026, 1, 1), dt.date(2026, 1, 14))
    assert empty.insights == ["No episodes were logged in this period."]
    assert (empty.mean_severity, empty.median_minutes) == (None, None)


def test_periods():
    today, long_ago = dt.date(2026, 3, 1), dt.date(2020, 1, 1)
    assert trends.period("2w", today, long_ago) == (dt.date(2026, 2, 16), today)
    assert trends.period("3m", today, long_ago) == (dt.date(2025, 12, 1), today)
    assert trends.period("1y", today, long_ago) == (dt.date(2025, 3, 2), today)
    assert trends.period("all", today, dt.date(2024, 7, 1)) == (dt.date(2024, 7, 1), today)
    assert trends.period("all", today, None) == (today, today)


def test_periods_start_no_earlier_than_the_first_entry():
    today = dt.date(2026, 3, 1)
    assert trends.period("3m", today, dt.date(2026, 2, 20)) == (dt.date(2026, 2, 20), today)
    assert trends.period("1y", today, today) == (today, today)
    assert trends.period("2w", today, None) == (today, today)  # a diary with nothing in it yet starts today
    custom = (dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert trends.period("custom", today, dt.date(2026, 2, 1), custom) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    before = (dt.date(2025, 1, 1), dt.date(2025, 1, 31))  # wholly before the diary: shown as asked
    assert trends.period("custom", today, dt.date(2026, 2, 1), before) == before


def bulk_diary(patient, count: int) -> None:
    now = dt.datetime.now(dt.UTC)
    episodes = Episode.objects.bulk_create(
        Episode(patient=patient, started_at=now - dt.timedelta(hours=1 + n), duration_minutes=n % 40,
                severity=n % 11, sensations=["numbness"], triggers=["sitting"], relieved_by=["rest"])
        for n in range(count)
    )  # fmt: skip
    EpisodeLocation.objects.bulk_create(EpisodeLocation(episode=e, side="left", region="calf") for e in episodes)


@pytest.mark.parametrize("path", ["/trends/?range=3m", "/trends/?range=all", "/api/v1/trends/?range=1y"])
def test_query_count_does_not_grow_with_the_diary(client, db, path):
    counts = []
    for size, name in ((10, "small"), (2000, "large")):
        patient = make_patient(name)
        bulk_diary(patient, size)
        client.force_login(patient)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_page_shows_every_chart_with_a_text_alternative(web, patient):
    bulk_diary(patient, 30)
    page = web.get("/trends/?range=2w").content.decode()
    for chart in ("chart-frequency", "chart-calendar", "chart-severity", "chart-duration", "chart-hours"):
        assert f'id="{chart}"' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg"') >= 5 + 2  # five charts and the two leg maps
    assert page.count("<table") >= 6 and page.count("Data table") >= 4
    assert "30 episodes in" in page
    assert "Left calf" in page  # the diagram's data table
    # Drawn on the server: no chart library, no canvas, no script for the charts.
    assert "<canvas" not in page and "chart.umd" not in page and "charts.js" not in page


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False)
def test_a_new_diary_shows_no_days_not_logged_before_it_began(web, api, patient):
    """A first-day account used to see "90 days not logged": days before the diary are not counted."""
    log(patient, dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC))
    for choice in ("2w", "3m", "1y", "all"):
        body = api.get("/api/v1/trends/", {"range": choice}).json()
        assert (body["first"], body["days"], body["days_logged"], body["days_not_logged"]) == (
            "2026-03-20", 1, 1, 0,
        ), choice  # fmt: skip
    page = web.get("/trends/").content.decode()
    assert "0 not logged" in page and "1 day with numbness" in page
    assert 'class="day-not_logged"' not in page  # the calendar has no such day
    assert "Nothing was logged on" not in page


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False)
def test_a_range_starts_at_the_first_entry_not_before(api, patient):
    services.save_checkin(patient=patient, date=dt.date(2026, 3, 1), numbness_today=False, today=dt.date(2026, 3, 20))
    body = api.get("/api/v1/trends/", {"range": "3m"}).json()
    assert (body["first"], body["days"], body["days_logged"], body["days_not_logged"]) == ("2026-03-01", 20, 1, 19)


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False)
def test_two_weeks_are_charted_day_by_day(web, api, patient):
    log(patient, dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), severity=2)
    for day in (10, 10, 19):
        log(patient, dt.datetime(2026, 3, day, 9, tzinfo=dt.UTC), severity=day // 2)
    body = api.get("/api/v1/trends/", {"range": "2w"}).json()
    assert body["unit"] == "day" and len(body["buckets"]) == 14
    assert [(b["start"], b["episodes"]) for b in body["buckets"] if b["episodes"]] == [
        ("2026-03-10", 2), ("2026-03-19", 1),
    ]  # fmt: skip
    assert api.get("/api/v1/trends/", {"range": "3m"}).json()["unit"] == "week"
    page = web.get("/trends/?range=2w").content.decode()
    frequency = page.split('id="chart-frequency"')[1].split("</svg>")[0]
    assert frequency.count('class="bar-link"') == 14  # one tappable column per day
    assert "Tue 10 Mar 2026: 2 episodes" in frequency
    assert 'href="/history/?from=2026-03-10&amp;to=2026-03-10"' in frequency  # that day in History


def test_calendar_is_labelled_with_weekdays_and_months(web, patient):
    bulk_diary(patient, 200)  # hourly episodes: the last nine days
    page = web.get("/trends/?range=3m").content.decode()
    calendar = page.split('id="chart-calendar"')[1].split("</svg>")[0]
    labels = re.findall(r"<text[^>]*>([^<]+)</text>", calendar)
    assert {"Mon", "Wed", "Fri"} <= set(labels)
    months = [label for label in labels if label[:3] in {f"{dt.date(2026, m, 1):%b}" for m in range(1, 13)}]
    assert months, labels  # the month of the first column at least


def test_weekly_mean_line_is_drawn_with_finite_points(web, patient):
    """Chart.js put the mean on a hidden axis, so the line was never drawn; the SVG line has real points."""
    bulk_diary(patient, 400)  # hourly: seventeen days, three weeks
    page = web.get("/trends/?range=3m").content.decode()
    severity = page.split('id="chart-severity"')[1].split("</svg>")[0]
    points = re.search(r'<polyline class="mean" points="([^"]+)"', severity).group(1).split()
    assert len(points) >= 3
    for point in points:
        x, y = (float(v) for v in point.split(","))
        assert math.isfinite(x) and math.isfinite(y) and 0 <= x <= WEB.width, point
        assert WEB.top <= y <= WEB.top + WEB.plot_height, point  # inside the plot


def test_api_returns_the_same_numbers(api, patient):
    bulk_diary(patient, 12)
    body = api.get("/api/v1/trends/", {"range": "custom", "from": "2010-01-01", "to": "2021-01-01"})
    assert body.status_code == 400 and "from" in body.json()  # more than ten years
    body = api.get("/api/v1/trends/", {"range": "custom", "from": "2026-01-01", "to": "2999-01-01"})
    assert body.status_code == 400 and "to" in body.json()  # ends in the future
    body = api.get("/api/v1/trends/", {"range": "2w"}).json()
    assert body["episodes"] == 12 and body["regions"] == {"left:calf": 12}
    assert body["triggers"] == [{"code": "sitting", "label": "Sitting", "count": 12, "share": 1.0}]
    assert len(body["hours"]) == 24 and 23 in body["night_hours"]


@pytest.mark.parametrize(
    "query, field",
    [({"from": "2026-03-10", "to": "2026-03-01"}, "to"), ({"from": "2026-03-01"}, "non_field_errors")],
)
def test_bad_custom_periods_are_400(api, query, field):
    response = api.get("/api/v1/trends/", query)
    assert response.status_code == 400 and field in response.json()


def test_page_rejects_a_bad_period_with_a_message(web):
    response = web.get("/trends/", {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_another_patients_trends_are_not_shown(client, patient, other_patient):
    bulk_diary(patient, 5)
    client.force_login(other_patient)
    assert "0 episodes in" in client.get("/trends/?range=2w").content.decode()
    from rest_framework.test import APIClient

    bob = APIClient()
    bob.force_authenticate(other_patient)
    assert bob.get("/api/v1/trends/", {"range": "all"}).json()["episodes"] == 0


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC))  # the clock runs: edits get new times
def test_trends_are_computed_afresh_after_every_change(api, patient):
    """Trends are cached per state of the diary: a save, an edit, a deletion or a check-in shows at once."""
    first = log(patient, dt.datetime(2026, 3, 18, 9, tzinfo=dt.UTC), severity=2)

    def numbers():
        body = api.get("/api/v1/trends/", {"range": "2w"}).json()
        return body["episodes"], body["mean_severity"], body["days_logged"]

    assert numbers() == numbers() == (1, 2.0, 1)
    second = log(patient, dt.datetime(2026, 3, 19, 9, tzinfo=dt.UTC), severity=4)
    assert numbers() == (2, 3.0, 2)
    services.save_episode(
        patient=patient, episode_id=second.id, started_at=second.started_at, duration_minutes=5, severity=8,
        locations=[("left", "sole")], sensations=["numbness"],
    )  # fmt: skip
    assert numbers() == (2, 5.0, 2)
    services.delete_episode(patient=patient, episode_id=first.id)
    assert numbers() == (1, 8.0, 2)  # 18 March keeps its implied check-in
    services.save_checkin(patient=patient, date=dt.date(2026, 3, 20), numbness_today=False, today=dt.date(2026, 3, 20))
    assert numbers() == (1, 8.0, 3)


def test_trends_still_answer_when_the_cache_is_down(web, patient, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    bulk_diary(patient, 3)
    assert "3 episodes in" in web.get("/trends/?range=2w").content.decode()


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC))
def test_the_pages_drawings_follow_every_change_and_every_flag(web, patient, monkeypatch):
    """The page's charts, tables and body map are kept per state of the diary and set of open flags."""
    from diary import charts
    from triage.models import Flag

    drawn = []
    real = charts.trends_charts
    monkeypatch.setattr(charts, "trends_charts", lambda *args, **kwargs: drawn.append(1) or real(*args, **kwargs))

    log(patient, dt.datetime(2026, 3, 18, 9, tzinfo=dt.UTC), locations=[("left", "sole")])

    def page() -> str:
        return web.get("/trends/", {"range": "2w"}).content.decode()

    first = page()
    assert page().count("<svg") == first.count("<svg") > 0
    assert len(drawn) == 1  # the second view showed what the first one drew
    assert "<title>Right calf: 0</title>" in first and 'class="flag-mark"' not in first
    log(patient, dt.datetime(2026, 3, 19, 9, tzinfo=dt.UTC), locations=[("right", "calf")])
    second = page()
    assert "<title>Right calf: 1</title>" in second
    assert re.search(r'<th scope="row">Right calf</th><td>1</td>', second)
    flag = Flag.objects.create(
        patient=patient, code="urgent.weakness", level="urgent", first_seen=dt.date(2026, 3, 19),
        last_seen=dt.date(2026, 3, 19), status="open",
    )  # fmt: skip
    assert 'class="flag-mark"' in page()
    flag.status = "acknowledged"
    flag.save()
    assert 'class="flag-mark"' not in page()
