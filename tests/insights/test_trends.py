"""Trend numbers on a diary checked by hand; the page and API; constant query counts."""

import datetime as dt
import json
import math
import re
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from diary import services
from diary.coverage import day_states
from diary.interchange import import_diary
from diary.models import Episode, EpisodeLocation
from insights import trends
from insights.charts import WEB
from insights.periods import load_trends
from tests.conftest import FIXTURE_VIGNETTES, REPO, load_vignette, log, make_patient

DIARIES = REPO / "tests" / "fixtures" / "diaries"


def imported_trends(document: dict[str, Any], first: dt.date, last: dt.date):
    patient = make_patient("imported")
    import_diary(patient=patient, document=document)
    return load_trends(patient, patient.profile.zone, first, last)


def diary_trends(name: str, first: dt.date, last: dt.date):
    """The trends of a diary in tests/fixtures/diaries; a missing file fails the test, it never skips it."""
    return imported_trends(json.loads((DIARIES / f"{name}.json").read_text(encoding="utf-8"))["diary"], first, last)


# winter-desk-and-sofa.json, checked by hand. Europe/London in January: local time is UTC. The four
# weeks Mon 5 Jan … Sun 1 Feb 2026 (28 days) hold 10 episodes on 10 days (4 Jan and 2 Feb fall outside):
#   day     time   min  sev  where                 felt                doing         eased by
#   Tue 6   09:30    4   2   left sole             numbness tingling   sitting       changed position
#   Thu 8   14:00    6   3   left sole             numbness            sitting       changed position
#   Mon 12  20:15   10   4   left toes, left sole  numbness tingling   crossed legs  changed position
#   Wed 14  09:45    5   3   right toes            tingling            sitting       walking around
#   Sat 17  21:00   12   5   left toes             numbness            crossed legs  changed position
#   Tue 20  10:30    3   2   left sole             numbness tingling   sitting       changed position
#   Fri 23  19:30    8   4   left sole             numbness            crossed legs  changed position
#   Mon 26  08:50    7   3   left sole, right sole numbness tingling   sitting       walking around
#   Thu 29  20:40   15   6   left toes             numbness burning    crossed legs  changed position
#   Sun 1   11:00    –   3   left sole (ongoing)   tingling            –             –
# Check-ins: no numbness on 7, 10 and 21 Jan; numbness (no episode) on 31 Jan.
# Logged days 10 + 4 = 14, with numbness 10 + 1 = 11, not logged 28 - 14 = 14. Severities sum 35: mean 3.5.
# Durations of the 9 that ended, sorted 3 4 5 6 7 8 10 12 15: median 7. Sitting 5 episodes (3 4 5 6 7:
# median 5 min), crossed legs 4 (8 10 12 15: median 11). Mornings (06–11) 5 of 10. Halves split at 19 Jan.
def test_four_weeks_of_a_hand_checked_diary(db):
    t = diary_trends("winter-desk-and-sofa", dt.date(2026, 1, 5), dt.date(2026, 2, 1))
    assert (t.days, t.episodes, t.days_logged, t.days_with_numbness, t.days_not_logged) == (28, 10, 14, 11, 14)
    assert (t.median_minutes, t.mean_severity, t.unit) == (7, 3.5, trends.DAY)
    assert [(r.code, r.count, r.share) for r in t.triggers] == [("sitting", 5, 0.5), ("crossed_legs", 4, 0.4)]
    assert [(r.code, r.count, r.share) for r in t.sensations] == [
        ("numbness", 8, 0.8),
        ("tingling", 6, 0.6),
        ("burning", 1, 0.1),
    ]
    assert [(r.code, r.count) for r in t.relief] == [("changed_position", 7), ("walking_around", 2)]
    assert t.regions == {"left:sole": 7, "left:toes": 3, "right:toes": 1, "right:sole": 1}
    assert {h: n for h, n in enumerate(t.hours) if n} == {8: 1, 9: 2, 10: 1, 11: 1, 14: 1, 19: 1, 20: 2, 21: 1}
    # Weeks from Monday: (days, episodes, logged, with numbness, mean severity, median minutes).
    assert [
        (
            w.start.day,
            w.days_in_range,
            w.episodes,
            w.days_logged,
            w.days_with_numbness,
            w.mean_severity,
            w.median_minutes,
        )
        for w in t.weeks
    ] == [
        (5, 7, 2, 4, 2, 2.5, 5),  # 6 and 8 Jan, "no" check-ins on 7 and 10; (4 + 6) / 2
        (12, 7, 3, 3, 3, 4.0, 10),  # (4 + 3 + 5) / 3; 5 10 12
        (19, 7, 2, 3, 2, 3.0, 5.5),  # "no" on 21; 3 and 8
        (26, 7, 3, 4, 4, 4.0, 11),  # "yes" on 31; the ongoing one has no duration: 7 and 15
    ]
    assert len(t.buckets) == 28  # four weeks are charted day by day
    assert t.insights == [
        "Episodes after sitting lasted 5 min on median, after crossed legs 11 min (5 and 4 episodes).",
        "More episodes started in the morning than at any other time of day: 5 of 10.",  # half is not most
        "Sides: mostly left (8 of 10), right only 1, both 1.",
        "“Changing position” was noted as helping in 7 of 10 episodes.",
        "5 episodes in the first half of the period, 5 in the second half.",
        "Nothing was logged on 14 of 28 days; those days are left out, not counted as days without numbness.",
    ]


# The last two weeks, 19 Jan … 1 Feb: the 5 episodes from Tue 20 on. Severities 2 4 3 6 3: mean 3.6;
# durations 3 7 8 15: median 7.5. Logged 5 + 2 check-ins = 7 of 14 days, 6 with numbness. Sitting has
# only 2 timed episodes here, too few to compare; mornings 3 of 5; too few episodes to split in halves.
def test_two_weeks_of_a_hand_checked_diary_day_by_day(db):
    t = diary_trends("winter-desk-and-sofa", dt.date(2026, 1, 19), dt.date(2026, 2, 1))
    assert (t.days, t.episodes, t.days_logged, t.days_with_numbness) == (14, 5, 7, 6)
    assert (t.mean_severity, t.median_minutes, t.unit) == (3.6, 7.5, trends.DAY)
    days = {b.start.day: (b.episodes, b.days_logged, b.days_with_numbness, b.mean_severity) for b in t.buckets}
    assert (days[21], days[29], days[30], days[31]) == (
        (0, 1, 0, None),
        (1, 1, 1, 6.0),
        (0, 0, 0, None),
        (0, 1, 1, None),
    )
    assert t.insights == [
        "Most episodes started in the morning: 3 of 5.",
        "Sides: mostly left (4 of 5), both 1.",
        "“Changing position” was noted as helping in 3 of 5 episodes.",
        "Nothing was logged on 7 of 14 days; those days are left out, not counted as days without numbness.",
    ]


def test_days_are_numbness_none_or_not_logged():
    day = dt.date(2026, 5, 1)
    calendar = day_states([], {day: False, day + dt.timedelta(days=1): True}, day, day + dt.timedelta(days=2))
    assert [state for _, state in calendar] == ["none", "numbness", "not_logged"]


def test_too_few_episodes_are_said_plainly(db):
    case = load_vignette(FIXTURE_VIGNETTES / "flight-then-chest-pain.json")
    t = imported_trends(case["diary"], dt.date(2026, 6, 1), dt.date(2026, 6, 15))
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
    found = re.search(r'<polyline class="mean" points="([^"]+)"', severity)
    assert found
    points = found.group(1).split()
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


def date_fields(page: str) -> dict[str, str]:
    """The period picker's date fields and their values ({} when the page does not draw them)."""
    return dict(re.findall(r'<input type="date" name="(start|end)" value="([^"]*)"', page))


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC), tick=False)
@pytest.mark.parametrize("path", ["/trends/", "/report/"])
def test_the_date_fields_are_drawn_once_asked_for_holding_the_period_shown(web, patient, path):
    """A phone draws a date field's parts at every load: Trends and Report draw them only after "Choose dates",
    filled with the period on the screen (the last 3 months, from the diary's first entry), or with a custom
    period's dates, or beside a problem with them."""
    services.save_checkin(patient=patient, date=dt.date(2026, 1, 10), numbness_today=False, today=dt.date(2026, 3, 20))
    named = web.get(path, {"range": "1y"}).content.decode()
    assert date_fields(named) == {} and 'href="?range=custom"' in named
    assert 'aria-current="true">1 year<' in named

    choosing = web.get(path, {"range": "custom"})
    page = choosing.content.decode()
    assert choosing.status_code == 200
    assert date_fields(page) == {"start": "2026-01-10", "end": "2026-03-20"}  # 3 months, from the first entry
    assert 'aria-current="true">Choose dates<' in page and "10 Jan – 20 Mar 2026" in page
    assert "Give both dates" not in page
    assert len(re.findall(r'<input type="date" name="(?:start|end)"[^>]*max="2026-03-20"', page)) == 2  # no future

    custom = web.get(path, {"range": "custom", "start": "2026-02-01", "end": "2026-02-28"}).content.decode()
    assert date_fields(custom) == {"start": "2026-02-01", "end": "2026-02-28"} and "1–28 Feb 2026" in custom

    one_date = web.get(path, {"range": "custom", "start": "2026-02-01"})
    assert one_date.status_code == 400 and date_fields(one_date.content.decode())["start"] == "2026-02-01"
    assert "Give both dates of a custom period." in one_date.content.decode()
    assert 'aria-current="true">Choose dates<' in one_date.content.decode()

    emptied = web.get(path, {"range": "custom", "start": "", "end": ""})  # the form sent with both fields cleared
    assert emptied.status_code == 400 and date_fields(emptied.content.decode()) == {"start": "", "end": ""}
    assert "Give both dates of a custom period." in emptied.content.decode()


def test_the_api_still_asks_for_both_dates_of_a_custom_period(api):
    response = api.get("/api/v1/trends/", {"range": "custom"})
    assert response.status_code == 400 and "Give both dates" in str(response.json())


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
    assert numbers() == (1, 8.0, 1)  # 18 March's implied check-in went with its only episode
    services.save_checkin(patient=patient, date=dt.date(2026, 3, 20), numbness_today=False, today=dt.date(2026, 3, 20))
    assert numbers() == (1, 8.0, 2)


def test_trends_still_answer_when_the_cache_is_down(web, patient, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    bulk_diary(patient, 3)
    assert "3 episodes in" in web.get("/trends/?range=2w").content.decode()


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC))
def test_the_pages_drawings_follow_every_change_and_every_flag(web: Client, patient, monkeypatch):
    """The page's charts, tables and body map are kept per state of the diary and set of open flags."""
    from insights import charts
    from triage.models import Flag

    drawn = []
    real = charts.trends_charts

    def counted(*args, **kwargs):
        drawn.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "trends_charts", counted)

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


@time_machine.travel(dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC))
def test_a_diary_edited_every_day_keeps_one_copy_of_its_trends_per_period(web, patient):
    from django.core.cache import cache

    def kept() -> int:
        return sum(":periods:" in key for key in cache._cache)  # type: ignore[attr-defined]  # LocMemCache's store

    log(patient, dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC))  # the diary began long before the last 2 weeks
    for day in (16, 17, 18, 19):
        log(patient, dt.datetime(2026, 3, day, 9, tzinfo=dt.UTC))
        assert web.get("/trends/", {"range": "2w"}).status_code == 200
        assert kept() == 2  # the numbers and the drawing of this period, replaced at every change
    web.get("/trends/", {"range": "3m"})
    assert kept() == 4


def test_when_every_episode_started_in_one_part_of_the_day_it_says_every():
    """Five morning episodes are not "most" of five."""
    from diary.facts import EpisodeFacts

    episodes = [
        EpisodeFacts(id=str(d), start=dt.datetime(2026, 5, d, 8, tzinfo=dt.UTC), duration_minutes=5, severity=3,
                     locations=frozenset({("left", "sole")}))
        for d in range(1, 6)
    ]  # fmt: skip
    said = trends.compute(episodes, {}, dt.date(2026, 5, 1), dt.date(2026, 5, 5)).insights
    assert "Every episode started in the morning: all 5." in said and not any(s.startswith("Most ") for s in said)


@pytest.mark.parametrize(
    "count, n, percent", [(5, 8, 63), (1, 8, 13), (29, 200, 15), (1, 3, 33), (2, 3, 67), (8, 8, 100)]
)
def test_a_share_in_per_cent_rounds_a_half_up(count, n, percent):
    assert trends.Ranked("c", "C", count, round(count / n, 3)).percent == percent
