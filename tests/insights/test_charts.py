"""The one chart renderer (insights/charts.py): the Trends page and the physician report draw the same numbers,
with axis labels that fit, whole-number ticks, print-ready attributes and text for screen readers."""

import datetime as dt
import re

import pytest

from diary.facts import EpisodeFacts
from insights import charts, trends

UTC = dt.UTC


def episode(start: dt.datetime, severity: int = 3, minutes: int | None = 5) -> EpisodeFacts:
    return EpisodeFacts(id=start.isoformat(), start=start, duration_minutes=minutes, severity=severity,
                        locations=frozenset({("left", "sole")}))  # fmt: skip


def period(first: dt.date, last: dt.date, every_days: int = 2, hour: int = 9) -> trends.Trends:
    days = range(0, (last - first).days + 1, every_days)
    episodes = [
        episode(dt.datetime.combine(first, dt.time(hour), UTC) + dt.timedelta(days=d), 1 + d % 9, 3 + d % 11)
        for d in days
    ]
    return trends.compute(episodes, {}, first, last)


def x_labels(svg: str) -> list[tuple[float, str]]:
    """The x axis: labels drawn centred under the plot."""
    return [
        (float(x), text)
        for x, text in re.findall(r'<text x="([\d.]+)" y="[\d.]+" text-anchor="middle"[^>]*>([^<]+)<', svg)
    ]


def y_ticks(svg: str) -> list[str]:
    return re.findall(r'text-anchor="end"[^>]*>([^<]+)<', svg)


def titles(svg: str) -> list[str]:
    return re.findall(r"<title>([^<]+)</title>", svg)


def test_week_labels_are_two_digit_days_and_start_with_the_period_not_its_monday():
    data = period(dt.date(2026, 1, 8), dt.date(2026, 1, 18))  # Thursday 8 to Sunday 18 January
    assert data.unit == trends.DAY and [w.start for w in data.weeks] == [dt.date(2026, 1, 5), dt.date(2026, 1, 12)]
    report = charts.report_charts(data)
    for svg in (report["frequency"], report["severity"]):
        assert [text for _, text in x_labels(svg)] == ["08 Jan", "12 Jan"]
    page = charts.trends_charts(data)  # day by day on the page: from 08 Jan on
    assert x_labels(page["frequency"])[0][1] == "08 Jan"


@pytest.mark.parametrize("size", [charts.WEB, charts.REPORT], ids=["web", "report"])
@pytest.mark.parametrize("first, days", [("2025-12-31", 1), ("2025-12-31", 14), ("2025-12-29", 13),
                                         ("2025-12-29", 91), ("2025-12-31", 91), ("2025-12-31", 365)])  # fmt: skip
def test_axis_labels_are_inside_the_drawing_and_apart(size, first, days):
    start = dt.date.fromisoformat(first)  # from a Monday, 13 days or weeks label the last one
    data = period(start, start + dt.timedelta(days=days - 1))
    svgs = [charts.frequency_chart(data.buckets, data.unit, size=size, first=data.first),
            charts.severity_chart(data.severities, data.weeks, size=size, first=data.first),
            charts.hours_chart(data.hours, size=size)]  # fmt: skip
    for svg in svgs:
        labels = x_labels(svg)
        assert labels
        half = {text: len(text) * size.font * 0.3 for _, text in labels}  # DejaVu: "23 Mar" is 3.5 em wide
        edges = [(x - half[text], x + half[text]) for x, text in labels]
        assert edges[0][0] >= 0 and edges[-1][1] <= size.width, labels
        assert all(right < left for (_, right), (left, _) in zip(edges, edges[1:], strict=False)), labels
        found = re.search(r'y="([\d.]+)" text-anchor="middle"', svg)
        assert found
        baseline = float(found.group(1))
        assert size.height - size.plot_height - size.top < baseline and baseline + 0.3 * size.font <= size.height


def test_the_hour_axis_reads_every_three_hours_on_the_page_and_in_the_report():
    hours = [h % 5 for h in range(24)]
    for size in (charts.WEB, charts.REPORT):
        svg = charts.hours_chart(hours, size=size)
        assert " ".join(text for _, text in x_labels(svg)) == "00 03 06 09 12 15 18 21"
        assert 'class="bar night"' in svg and 'fill="#30475e"' in svg  # night bars dark, day bars light
        assert "<title>23:00–00:00: 3 episodes (night)</title>" in svg


def test_ticks_are_whole_numbers_even_for_a_median_of_two_and_a_half_minutes():
    data = trends.compute([episode(dt.datetime(2026, 3, 2, 9, tzinfo=UTC), minutes=m) for m in (2, 3)], {},
                          dt.date(2026, 3, 2), dt.date(2026, 3, 8))  # fmt: skip
    assert data.buckets[0].median_minutes == 2.5
    assert y_ticks(charts.duration_chart(data.buckets, data.unit)) == ["0", "1", "2", "3"]
    assert y_ticks(charts.frequency_chart(data.buckets, data.unit)) == ["0", "1", "2"]
    assert y_ticks(charts.severity_chart(data.severities, data.buckets, data.unit)) == ["0", "2", "4", "6", "8", "10"]


def test_the_report_and_the_page_draw_the_same_numbers():
    data = period(dt.date(2026, 1, 1), dt.date(2026, 3, 31), every_days=3, hour=23)
    assert data.unit == trends.WEEK
    page, report = charts.trends_charts(data), charts.report_charts(data)
    for name in ("frequency", "hours"):
        assert titles(report[name]) == titles(page[name]), name
    # The same dots; the page draws each week's mean, the report its median (DESIGN §10).
    assert titles(report["severity"])[0] == titles(page["severity"])[0] == f"{data.episodes} episodes"
    week = data.weeks[1]  # 5 to 11 January: the 7th and the 10th
    assert (week.start, week.episodes, week.days_logged, week.mean_severity) == (dt.date(2026, 1, 5), 2, 2, 4)
    assert "Week of 5 Jan 2026: 2 episodes, 2 of 7 days logged" in titles(report["frequency"])
    assert "Week of 5 Jan 2026: mean severity 4 (2 episodes)" in titles(page["severity"])
    assert sorted(week.severity_values) == [1, 7]  # the 7th and the 10th: a median of 4 is said as "1–7"
    assert "Week of 5 Jan 2026: median severity 1–7 (2 episodes)" in titles(report["severity"])
    assert titles(report["hours"]) == [f"23:00–00:00: {data.episodes} episodes (night)"]  # every start at 23:xx


def test_report_charts_are_print_ready_pictures_with_12_unit_text():
    report = charts.report_charts(period(dt.date(2026, 1, 1), dt.date(2026, 3, 31)))
    del report["calendar"]  # a calendar of its own shape: tests/report
    for name, svg in report.items():
        assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 260 ')
        assert 'role="img" aria-label="' in svg and "<a " not in svg, name  # nothing to tap on paper
        assert set(re.findall(r'font-size="([\d.]+)"', svg)) == {"12"}, name
        assert all('fill="#' in mark for mark in re.findall(r"<(?:rect|circle)[^>]*>", svg)), name  # no CSS needed
    assert "episodes / week" not in report["frequency"]  # the report's caption names the axis


def test_web_bars_link_to_history_only_when_wide_enough_to_tap():
    data = period(dt.date(2026, 3, 1), dt.date(2026, 3, 14))

    def href(bucket: trends.Week) -> str:
        return f"/history/?from={bucket.start}"

    assert charts.frequency_chart(data.buckets, data.unit, href=href).count('class="bar-link"') == 14
    year = period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    narrow = charts.frequency_chart(year.buckets, year.unit, href=href)  # 53 weeks, too narrow to tap
    assert 'class="bar-link"' not in narrow and 'role="img"' in narrow  # a picture, not a group of links


def test_a_warning_signs_line_is_drawn_over_the_bars_and_lets_taps_through_to_them():
    data = period(dt.date(2026, 3, 1), dt.date(2026, 3, 14), every_days=1)
    fired = dt.date(2026, 3, 5)  # a day with an episode: its bar is as tall as the line, or taller
    svg = charts.frequency_chart(
        data.buckets, data.unit, href=lambda b: f"/history/?from={b.start}", marks=[(fired, "Swollen leg")]
    )
    line = re.search(r'<line class="flag-mark" x1="([\d.]+)"[^>]*>', svg)
    assert line and 'pointer-events="none"' in line.group(0)
    # Under it, a wider line of the background: apart from the bar by more than hue.
    assert re.search(r'<line class="flag-mark-halo" [^>]*pointer-events="none" stroke="#ffffff" stroke-width="4.5"/>'
                     r'<line class="flag-mark"', svg)  # fmt: skip
    bar = re.search(r'<a href="/history/\?from=2026-03-05".*?<rect class="bar" x="([\d.]+)"[^>]*width="([\d.]+)"', svg)
    assert bar and float(bar[1]) < float(line[1]) < float(bar[1]) + float(bar[2])  # across that day's bar
    assert svg.index('class="flag-mark"') > svg.rindex('class="bar')  # drawn after (over) every bar


def test_the_report_calendar_of_a_few_days_is_drawn_as_wide_as_a_quarters():
    """Printed at one width, a calendar of one day would otherwise blow its squares and text up to a page."""
    day = period(dt.date(2026, 6, 15), dt.date(2026, 6, 15))
    quarter = period(dt.date(2026, 1, 5), dt.date(2026, 4, 5))
    widths = [
        float(re.search(r'viewBox="0 0 ([\d.]+) ', charts.report_charts(data)["calendar"]).group(1))  # type: ignore[union-attr]
        for data in (day, quarter)
    ]
    assert widths[0] == widths[1] == 34 + charts.REPORT_CALENDAR_WEEKS * 22


def test_bands_are_drawn_under_the_frequency_chart_on_the_same_days_as_the_bars():
    """A band's spans start and stop on the x of their days (ticks where they start or stop inside the period, an
    open end for one still going) and its single days are dots; the drawing grows by a row per band."""
    data = period(dt.date(2026, 1, 5), dt.date(2026, 2, 1))  # four weeks from a Monday, day by day
    bands = [
        {"title": "Pregabalin", "as_needed": False, "url": "", "days": [],
         "spans": [{"first": dt.date(2025, 12, 1), "last": dt.date(2026, 1, 11), "label": "75 mg twice a day",
                    "starts": False, "stops": True},
                   {"first": dt.date(2026, 1, 12), "last": None, "label": "150 mg twice a day", "starts": True,
                    "stops": False}]},
        {"title": "Ibuprofen", "as_needed": True, "url": "", "spans": [],
         "days": [dt.date(2026, 1, 5), dt.date(2026, 1, 19)]},
    ]  # fmt: skip
    plain = charts.frequency_chart(data.buckets, data.unit, first=data.first)
    svg = charts.frequency_chart(data.buckets, data.unit, first=data.first, last=data.last, bands=bands)  # type: ignore[arg-type]
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert height == charts.WEB.height + charts.BAND_GAP + 2 * charts.band_height(charts.WEB)
    assert 'viewBox="0 0 360 196"' in plain and "band" not in plain
    size, days = charts.WEB, 28
    day_width = size.plot_width / days

    def x(day: dt.date) -> float:
        return round(size.left + (day - dt.date(2026, 1, 5)).days * day_width, 1)

    spans = re.findall(r'<rect class="band-span[^"]*" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"', svg)
    assert [float(a) for a, _ in spans] == [x(dt.date(2026, 1, 5)), x(dt.date(2026, 1, 12))]  # the first clipped
    assert float(spans[0][0]) + float(spans[0][1]) == pytest.approx(x(dt.date(2026, 1, 12)), abs=0.11)
    assert float(spans[1][0]) + float(spans[1][1]) == pytest.approx(size.width - size.right, abs=0.11)
    ticks = [float(t) for t in re.findall(r'<line class="band-tick" x1="([\d.]+)"', svg)]
    assert ticks == [x(dt.date(2026, 1, 12)), x(dt.date(2026, 1, 12))]  # the first stops, the next starts
    assert svg.count('class="band-open"') == 1
    assert ">Pregabalin: … → 150 mg twice a day</text>" in svg  # the whole way would not fit: where it ends
    assert "<title>Pregabalin 75 mg twice a day, 1 Dec 2025 – 11 Jan 2026</title>" in svg
    assert "Ibuprofen: taken on 2 days" in svg
    assert svg.count("M", svg.index('class="band-use"'), svg.index("</path>", svg.index('class="band-use"'))) == 2


def hours_caption(*starts: tuple[int, int]) -> str:
    """The hours chart's caption for episodes started at these (hour, minute)s of 1–3 Jun 2026 (UTC)."""
    first = dt.date(2026, 6, 1)
    episodes = [
        episode(dt.datetime.combine(first + dt.timedelta(days=i % 3), dt.time(h, m), UTC))
        for i, (h, m) in enumerate(starts)
    ]
    return charts.captions(trends.compute(episodes, {}, first, dt.date(2026, 6, 3)))["hours"]


@pytest.mark.parametrize(
    "starts, caption",
    [
        # One in each of three hours: a tie of ones is no peak (it once said "most often at 04:00 (1)").
        ([(9, 15), (22, 0), (4, 20)], "2 of 3 episodes started at night (22:00–06:00, the solid bars); no two in the "
         "same hour."),
        ([(14, 0), (14, 45), (9, 0)], "0 of 3 episodes started at night (22:00–06:00, the solid bars); most often at "
         "14:00 (2)."),
        ([(8, 5), (8, 50), (14, 0), (14, 30), (23, 0)], "1 of 5 episodes started at night (22:00–06:00, the solid "
         "bars); most often at 08:00 and 14:00 (2 each)."),
        ([(h, 0) for h in (1, 1, 5, 5, 9, 9, 13, 13)], "4 of 8 episodes started at night (22:00–06:00, the solid "
         "bars); 4 hours tie for most often (2 each)."),
        ([(3, 0)], "1 of 1 episode started at night (22:00–06:00, the solid bars)."),
    ],
)  # fmt: skip
def test_the_hours_caption_names_a_peak_only_where_there_is_one(starts, caption):
    assert hours_caption(*starts) == caption
