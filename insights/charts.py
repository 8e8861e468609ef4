"""The one chart renderer of the Trends page, the physician report (PDF) and its shared page.

Every function takes numbers computed by `insights.trends` and returns a small SVG document (a
`SafeString`), so the page and the PDF draw the same numbers the same way, without JavaScript.

- Colours are SVG presentation attributes (WeasyPrint does not apply the page's CSS to SVG) that
  stay apart in greyscale; on the web, classes (`bar`, `night`, `mean`, …) let the stylesheet
  recolour them for dark mode.
- Every mark carries a `<title>` with its numbers. `href` (web only) turns each bar into a link,
  e.g. to that week's History; links are drawn only when each column is wide enough to tap.
- `WEB` is about one user unit per CSS pixel on a phone. `REPORT` is narrower with 12-unit text: in
  print it is scaled down to a column of the page, on the shared page it is only ever scaled up.
- Axis labels are spaced by their width at the size's font, and never drawn past the edges.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

from diary import vocab
from diary.clock import MONTHS, WEEKDAYS, day_words, minutes_label
from diary.coverage import NONE, NOT_LOGGED, NUMBNESS, STATE_WORDS
from diary.hooks import Band
from insights.trends import DAY, WEEK, Trends, Week, median_words

INK, GRID, BAR, LINE, DOT = "#444444", "#dddddd", "#1f5f8b", "#c4561a", "#e0792b"
NIGHT, DAY_BAR = "#30475e", "#7fa7c4"  # dark and light in greyscale too
STATE_FILL = {NUMBNESS: "#e0792b", NONE: "#8fbf9f", NOT_LOGGED: "#ffffff"}
REPORT_CALENDAR_WEEKS = 14  # the report's calendar is drawn at least this many weeks wide …
REPORT_CALENDAR = 620  # … and at most this many units
PRINT_STATE_FILL = {NUMBNESS: "#b8501a", NONE: "#9cc9a9", NOT_LOGGED: "#ffffff"}  # dark, mid, white in greyscale
MIN_LINK_WIDTH = 24  # user units (about CSS px on a phone): narrower columns are not made links


@dataclass(frozen=True)
class Size:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    font: float
    axis_title: bool = True  # the y axis's unit above the plot; the report says it in the figure's caption

    @property
    def plot_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> float:
        return self.height - self.top - self.bottom

    def y(self, value: float, y_max: float) -> float:
        return self.top + self.plot_height - self.plot_height * value / y_max

    def font_attrs(self) -> str:
        return f'font-family="DejaVu Sans, sans-serif" font-size="{self.font:g}"'


WEB = Size(width=360, height=196, left=22, right=2, top=22, bottom=24, font=12)
REPORT = Size(width=260, height=124, left=26, right=2, top=10, bottom=22, font=12, axis_title=False)

Href = Callable[["Week"], str]


# --- Words -----------------------------------------------------------------------------------------


def bucket_label(bucket: Week, unit: str) -> str:
    """'Week of 3 Mar 2026' or 'Tue 3 Mar 2026'."""
    if unit == DAY:
        return f"{bucket.start:%a} {bucket.start.day} {bucket.start:%b %Y}"
    return f"Week of {bucket.start.day} {bucket.start:%b %Y}"


def _short(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]}"


def _tick(day: dt.date) -> str:
    """An axis label, '08 Jan': two digits, so that every label is as wide as the next."""
    return f"{day.day:02d} {MONTHS[day.month - 1]}"


def bucket_ticks(buckets: Sequence[Week], first: dt.date | None = None) -> list[str]:
    """Each day or week by its first day inside the period, so that no label predates the period (or the diary)."""
    return [_tick(max(b.start, first) if first else b.start) for b in buckets]


# --- Frame ------------------------------------------------------------------------------------------


def _nice_max(values: Sequence[float | None], at_least: float = 1) -> int:
    """The top of the y axis: a whole number, a multiple of 4 above 4, so that every tick is a whole number."""
    top = max([v for v in values if v is not None] + [at_least])
    return math.ceil(top) if top <= 4 else 4 * math.ceil(top / 4)


def _open(size: Size, title: str, interactive: bool, css: str, height: float | None = None) -> str:
    # Links inside role="img" would be hidden from screen readers: a chart with links is a labelled group.
    role = "group" if interactive else "img"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size.width} {height or size.height:g}" '
        f'class="chart-svg {css}" role="{role}" aria-label="{escape(title)}">'
    )


def _axes(size: Size, y_max: int, y_label: str, x_labels: Sequence[tuple[float, str]], steps: int = 4) -> str:
    """Grid, y ticks, x labels and the y axis title, hidden from screen readers (the marks carry the numbers).

    Text is placed for the tallest sans font a page may swap in (ascent 1.07 em, descent 0.3 em), so that none
    of it leaves the drawing, which a PDF would clip."""
    font = size.font_attrs()
    steps = min(steps, y_max)  # whole-number ticks
    while steps % 2 == 0 and size.plot_height / steps < size.font * 1.5:  # tick labels a line of text apart
        steps //= 2
    parts = ['<g class="axes" aria-hidden="true">']
    for step in range(steps + 1):
        value = y_max * step / steps
        y = size.y(value, y_max)
        parts.append(
            f'<line x1="{size.left}" x2="{size.width - size.right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{size.left - 4}" y="{y + size.font / 3:.1f}" text-anchor="end" fill="{INK}" {font}>'
            f"{value:g}</text>"
        )
    for x, label in x_labels:
        parts.append(
            f'<text x="{x:.1f}" y="{size.height - size.font * 0.3:g}" text-anchor="middle" fill="{INK}" {font}>'
            f"{escape(label)}</text>"
        )
    if size.axis_title:
        parts.append(f'<text x="{size.left}" y="{size.font * 1.1:g}" fill="{INK}" {font}>{escape(y_label)}</text>')
    return "".join(parts) + "</g>"


def _every(count: int, room: int) -> int:
    return max(1, math.ceil(count / room))


def _text_width(text: str, font: float) -> float:
    return len(text) * font * 0.62  # DejaVu Sans: digits 0.64 em, a space 0.32 em, letters about 0.6 em


def _slot_labels(size: Size, labels: Sequence[str], multiple: int = 1) -> list[tuple[float, str]]:
    """Every n-th label under the middle of its slot, n (a multiple of `multiple`) so that they do not touch,
    each moved in from the edges just enough to be drawn whole."""
    slot = size.plot_width / max(1, len(labels))
    widest = max((_text_width(label, size.font) for label in labels), default=0) + size.font / 2
    every = _every(len(labels), max(1, int(size.plot_width // widest)))
    every = multiple * math.ceil(every / multiple)
    placed = []
    for i, label in enumerate(labels):
        if i % every == 0:
            half = _text_width(label, size.font) / 2
            placed.append((min(max(size.left + slot * (i + 0.5), half), size.width - half), label))
    return placed


def _svg(parts: list[str]) -> SafeString:
    return mark_safe("".join(parts) + "</svg>")  # noqa: S308 - numbers and escaped labels only


def _bars(
    size: Size,
    values: Sequence[float | None],
    titles: Sequence[str],
    y_max: float,
    classes: Sequence[str] | None = None,
    fills: Sequence[str] | None = None,
    hrefs: Sequence[str] | None = None,
    outlined: Sequence[bool] | None = None,
) -> list[str]:
    """Bars; an outlined one (a part week) is drawn as a dashed outline, so that it never reads as a full one."""
    slot = size.plot_width / max(1, len(values))
    parts = []
    for i, value in enumerate(values):
        x = size.left + slot * i
        title = f"<title>{escape(titles[i])}</title>"
        css = classes[i] if classes else "bar"
        fill = fills[i] if fills else BAR
        h = size.plot_height * (value or 0) / y_max
        paint = f'fill="{fill}"'
        if outlined and outlined[i]:
            css += " partial"
            paint = f'fill="#ffffff" stroke="{fill}" stroke-width="1.5" stroke-dasharray="3 2"'
        bar = (
            f'<rect class="{css}" x="{x + slot * 0.15:.1f}" y="{size.top + size.plot_height - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}" {paint}/>'
            if value
            else ""
        )
        if hrefs is not None:
            # The whole column is the tap target, not just the (maybe empty) bar.
            parts.append(
                f'<a href="{escape(hrefs[i])}" class="bar-link" aria-label="{escape(titles[i])}">{title}'
                f'<rect class="hit" x="{x:.1f}" y="{size.top}" width="{slot:.1f}" height="{size.plot_height}" '
                f'fill="transparent"/>{bar}</a>'
            )
        elif bar:
            parts.append(bar.replace("/>", f">{title}</rect>"))
    return parts


def _links(size: Size, buckets: Sequence[Week], href: Href | None) -> list[str] | None:
    """Each column's link, when there are links and every column is wide enough to tap."""
    if href is None or size.plot_width / max(1, len(buckets)) < MIN_LINK_WIDTH:
        return None
    return [href(b) for b in buckets]


def _flag_marks(size: Size, buckets: Sequence[Week], unit: str, marks: Sequence[tuple[dt.date, str]]) -> list[str]:
    """A dashed line in the bucket in which each warning sign first fired, drawn over the bars (a sign fires on a
    day with an episode, so its bar is there to hide a line under it) and let through to them: a tap on it is a
    tap on the bar's link. A wider line of the background's colour runs under it, so that it stands apart from the bar
    it crosses by more than its hue (red on blue is about 1:1 in luminance)."""
    slot = size.plot_width / max(1, len(buckets))
    span = dt.timedelta(days=1 if unit == DAY else 7)
    parts = []
    for day, title in marks:
        for i, bucket in enumerate(buckets):
            if bucket.start <= day < bucket.start + span:
                x = size.left + slot * (i + 0.5)
                bottom = size.top + size.plot_height
                at = f'x1="{x:.1f}" x2="{x:.1f}" y1="{size.top}" y2="{bottom}" pointer-events="none"'
                parts.append(
                    f'<line class="flag-mark-halo" {at} stroke="#ffffff" stroke-width="4.5"/>'
                    f'<line class="flag-mark" {at} stroke="#b3261e" stroke-width="1.5" stroke-dasharray="4 3">'
                    f"<title>{escape(title)}, first seen {_short(day)}</title></line>"
                )
    return parts


# --- Bands: rows under the frequency chart (diary.hooks.period_bands: a treatment's courses and uses) ----

BAND, BAND_ALT, USE = "#2e7d6b", "#1b4d42", "#8a3ffc"  # apart from the bars and the flag marks in greyscale too
BAND_GAP = 6  # between the x axis labels and the first row


def band_height(size: Size) -> float:
    """One row: a line of text, then the bar."""
    return size.font * 1.25 + 14


def _fit(text: str, width: float, font: float) -> str:
    """The text, cut with an ellipsis where it would be wider than `width`."""
    if _text_width(text, font) <= width:
        return text
    room = max(1, int(width / (font * 0.62)) - 1)
    return text[:room].rstrip(" ,·:→") + "…"


def _bands(
    size: Size, buckets: Sequence[Week], unit: str, first: dt.date, last: dt.date, bands: Sequence[Band]
) -> list[str]:
    """Each band as a row under the chart: its name and doses, each span as a bar from its first to its last day
    (a tick where it starts or stops inside the period; one still going runs to the right edge, open), and its
    single days (as-needed uses) as dots. The days map to x as the bars' days and weeks do."""
    if not buckets or not bands:
        return []
    origin = buckets[0].start
    day_width = size.plot_width / (len(buckets) * (1 if unit == DAY else 7))
    right = size.width - size.right

    def x(day: dt.date) -> float:
        return min(right, max(size.left, size.left + (day - origin).days * day_width))

    font = size.font_attrs()
    parts = ['<g class="bands">']
    top: float = size.height + BAND_GAP
    for band in bands:
        text_y, bar_y = top + size.font, top + size.font * 1.25 + 3
        labels = [span["label"] for span in band["spans"]]
        label = f"{band['title']}: {' → '.join(labels)}" if labels else band["title"]
        if len(labels) > 1 and _text_width(label, size.font) > size.plot_width:
            label = f"{band['title']}: … → {labels[-1]}"  # the dose it ends on; each span's <title> has its own
        label = _fit(label, size.plot_width, size.font)
        parts.append(
            f'<text class="band-label" x="{size.left}" y="{text_y:.1f}" fill="{INK}" {font}>{escape(label)}</text>'
        )
        for i, span in enumerate(band["spans"]):
            start = max(span["first"], first)
            end = span["last"]
            x1 = x(start)
            x2 = right if end is None else x(min(end, last) + dt.timedelta(days=1))
            shade, css = (BAND_ALT, "band-span alt") if i % 2 else (BAND, "band-span")
            height = 4 if band["as_needed"] else 8
            y = bar_y + (8 - height) / 2
            until = "still going" if end is None else day_words(end)
            parts.append(
                f'<rect class="{css}" x="{x1:.1f}" y="{y:.1f}" width="{max(x2 - x1, 1.5):.1f}" height="{height}" '
                f'fill="{shade}"><title>{escape(band["title"])} {escape(span["label"])}, '
                f"{day_words(span['first'])} – {until}</title></rect>"
            )
            ticks = [x1] if span["starts"] else []
            ticks += [x2] if span["stops"] and end is not None else []
            parts += [
                f'<line class="band-tick" x1="{t:.1f}" x2="{t:.1f}" y1="{bar_y - 3:.1f}" y2="{bar_y + 11:.1f}" '
                f'stroke="{INK}" stroke-width="1.5"/>'
                for t in ticks
            ]
            if end is None:  # still going: an open arrow at the right edge
                parts.append(
                    f'<path class="band-open" d="M{right - 5:.1f} {bar_y - 1:.1f}l5 5-5 5" fill="none" '
                    f'stroke="{shade}" stroke-width="1.5"/>'
                )
        if band["days"]:
            dots = "".join(f"M{x(day) + day_width / 2:.1f} {bar_y + 4:.1f}h0" for day in band["days"])
            count = len(band["days"])
            parts.append(
                f'<path class="band-use" d="{dots}" stroke="{USE}" stroke-width="7" stroke-linecap="round" fill="none">'
                f"<title>{escape(band['title'])}: taken on {count} day{'' if count == 1 else 's'}</title></path>"
            )
        top += band_height(size)
    return [*parts, "</g>"]


# --- The charts ------------------------------------------------------------------------------------


def frequency_chart(
    buckets: Sequence[Week],
    unit: str = WEEK,
    *,
    size: Size = WEB,
    first: dt.date | None = None,
    href: Href | None = None,
    marks: Sequence[tuple[dt.date, str]] = (),
    bands: Sequence[Band] = (),
    last: dt.date | None = None,
) -> SafeString:
    """Episodes per day or week, as bars; a week cut by the period's edge is outlined and says so in its title;
    optional flag marks where a warning sign first fired, and bands under the chart (`bands`, for the period from
    `first` to `last`)."""
    values = [b.episodes for b in buckets]
    y_max = _nice_max(values)
    partial = [unit == WEEK and b.partial for b in buckets]
    titles = [
        f"{bucket_label(b, unit)}: {vocab.counted(b.episodes, 'episode')}, {b.days_logged} of "
        f"{vocab.counted(b.days_in_range, 'day')} logged"
        + (f" (part week: {b.days_in_range} of 7 days)" if cut else "")
        for b, cut in zip(buckets, partial, strict=True)
    ]
    per = unit
    hrefs = _links(size, buckets, href)
    height = size.height + (BAND_GAP + len(bands) * band_height(size) if bands and buckets else 0)
    title = f"Episodes per {per}" + (", and below, " + ", ".join(b["title"] for b in bands) if bands else "")
    parts = [_open(size, title, hrefs is not None, "frequency", height)]
    parts.append(_axes(size, y_max, f"episodes / {per}", _slot_labels(size, bucket_ticks(buckets, first))))
    parts += _bars(size, values, titles, y_max, hrefs=hrefs, outlined=partial)
    parts += _flag_marks(size, buckets, unit, marks)
    if buckets and bands:
        span = dt.timedelta(days=1 if unit == DAY else 7)
        parts += _bands(size, buckets, unit, first or buckets[0].start, last or buckets[-1].start + span, bands)
    return _svg(parts)


def duration_chart(
    buckets: Sequence[Week],
    unit: str = WEEK,
    *,
    size: Size = WEB,
    first: dt.date | None = None,
    href: Href | None = None,
) -> SafeString:
    """The median duration of each day's or week's episodes, as bars."""
    values = [b.median_minutes for b in buckets]
    y_max = _nice_max(values)
    titles = [f"{bucket_label(b, unit)}: median {minutes_label(b.median_minutes)}" for b in buckets]
    per = unit
    hrefs = _links(size, buckets, href)
    parts = [_open(size, f"Median duration per {per}", hrefs is not None, "duration")]
    parts.append(_axes(size, y_max, "median minutes", _slot_labels(size, bucket_ticks(buckets, first))))
    parts += _bars(size, values, titles, y_max, hrefs=hrefs)
    return _svg(parts)


STATISTICS = ("mean", "median")


def _statistic(bucket: Week, statistic: str) -> float | None:
    return bucket.median_severity if statistic == "median" else bucket.mean_severity


def _statistic_words(bucket: Week, statistic: str) -> str:
    if statistic == "median":
        return median_words(bucket.severity_values)
    return f"{bucket.mean_severity:g}"


def line_runs(
    buckets: Sequence[Week], size: Size = WEB, statistic: str = "mean"
) -> list[list[tuple[float, float, Week]]]:
    """Where the weekly (or daily) line passes, as runs of neighbouring buckets that have a value: the line is
    broken over a bucket without episodes rather than drawn across it."""
    slot = size.plot_width / max(1, len(buckets))
    runs: list[list[tuple[float, float, Week]]] = []
    previous = -2
    for i, b in enumerate(buckets):
        value = _statistic(b, statistic)
        if value is None:
            continue
        point = (size.left + slot * (i + 0.5), size.y(value, vocab.SEVERITY_MAX), b)
        if i == previous + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
        previous = i
    return runs


def severity_chart(
    severities: Sequence[tuple[dt.datetime, int]],
    buckets: Sequence[Week],
    unit: str = WEEK,
    *,
    size: Size = WEB,
    first: dt.date | None = None,
    statistic: str = "mean",
) -> SafeString:
    """Every episode's severity as a dot at its time, and each day's or week's mean (or median) as a line,
    broken over days or weeks without episodes."""
    per = unit
    parts = [
        _open(
            size,
            f"Severity of each episode ({vocab.SEVERITY_RANGE_LABEL}) with the {statistic} per {per}",
            False,
            "severity",
        )
    ]
    parts.append(_axes(size, vocab.SEVERITY_MAX, "severity", _slot_labels(size, bucket_ticks(buckets, first)), steps=5))
    if buckets:
        origin = dt.datetime.combine(buckets[0].start, dt.time())
        span_days = len(buckets) * (1 if unit == DAY else 7)
        scale = size.plot_width / (span_days * 86400)
        dots = {
            (
                round(size.left + (e.replace(tzinfo=None) - origin).total_seconds() * scale, 1),
                size.y(sev, vocab.SEVERITY_MAX),
            )
            for e, sev in severities
        }
        if dots:
            path = "".join(f"M{x:g} {y:.1f}h0" for x, y in sorted(dots))
            parts.append(
                f'<path class="dots" d="{path}" stroke="{DOT}" stroke-width="5" stroke-linecap="round" '
                f'stroke-opacity="0.55" fill="none"><title>{vocab.counted(len(severities), "episode")}</title></path>'
            )
    slot = size.plot_width / max(1, len(buckets))
    for run in line_runs(buckets, size, statistic):
        points = [(x, y) for x, y, _ in run]
        if len(points) == 1:  # one value: a short level line across its day or week
            (x, y) = points[0]
            points = [(x - slot * 0.4, y), (x + slot * 0.4, y)]
        coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<polyline class="{statistic}" points="{coordinates}" fill="none" stroke="{LINE}" stroke-width="2">'
            f"<title>{statistic.capitalize()} severity per {per}</title></polyline>"
        )
    for run in line_runs(buckets, size, statistic):
        for x, y, b in run:
            parts.append(
                f'<circle class="{statistic}-point" cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{LINE}">'
                f"<title>{escape(bucket_label(b, unit))}: {statistic} severity {_statistic_words(b, statistic)} "
                f"({vocab.counted(b.episodes, 'episode')})</title></circle>"
            )
    return _svg(parts)


def hours_chart(hours: Sequence[int], *, size: Size = WEB) -> SafeString:
    """Episodes by the hour they started, 0–23 local time; night hours drawn darker."""
    y_max = _nice_max(hours)
    night = [vocab.is_night_hour(h) for h in range(24)]
    titles = [
        f"{h:02d}:00–{(h + 1) % 24:02d}:00: {vocab.counted(n, 'episode')}{' (night)' if night[h] else ''}"
        for h, n in enumerate(hours)
    ]
    parts = [_open(size, "Start times over 24 hours, night hours in solid bars", False, "hours")]
    hour_labels = _slot_labels(size, [f"{h:02d}" for h in range(24)], multiple=3)  # 00 03 06 … 21
    parts.append(_axes(size, y_max, "episodes by starting hour", hour_labels))
    parts += _bars(
        size,
        list(hours),
        titles,
        y_max,
        classes=["bar night" if n else "bar day" for n in night],
        fills=[NIGHT if n else DAY_BAR for n in night],
    )
    return _svg(parts)


def calendar_chart(
    calendar: Sequence[tuple[dt.date, str]],
    *,
    cell: int = 22,
    font: float = 11,
    fills: Mapping[str, str] = STATE_FILL,
    min_columns: int = 1,
    room: int = WEB.width,
) -> SafeString:
    """Days as squares, a column per week (Monday at the top), weekdays on the left, months on top.

    `min_columns`: the drawing is at least this many weeks wide, the days on its left, so that a calendar of a
    few days keeps its squares and text the size of a longer one's; `room`: the width the squares shrink to fit
    (never below 6 units)."""
    if not calendar:
        return mark_safe("")
    first = calendar[0][0]
    first_monday = first - dt.timedelta(days=first.weekday())
    columns = (calendar[-1][0] - first_monday).days // 7 + 1
    cell = max(6, min(cell, (room - 34) // columns))
    left, top, gap = 34, font + 6, 2 if cell >= 10 else 1
    width, height = left + max(columns, min_columns) * cell, top + 7 * cell
    attrs = f'font-family="DejaVu Sans, sans-serif" font-size="{font:g}" fill="{INK}"'
    counts = {state: sum(s == state for _, s in calendar) for state in STATE_WORDS}
    summary = ", ".join(f"{vocab.counted(n, 'day')} {STATE_WORDS[state]}" for state, n in counts.items())
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'class="chart-svg calendar-svg" role="img" aria-label="Calendar from {_short(first)} {first.year}: '
        f'{escape(summary)}"><g class="labels">'
    ]
    for row in (0, 2, 4, 6) if cell < 14 else range(7):
        parts.append(f'<text x="{left - 4}" y="{top + row * cell + cell * 0.75:.1f}" text-anchor="end" {attrs}>'
                     f"{WEEKDAYS[row]}</text>")  # fmt: skip
    month_every = _every(len({(d.year, d.month) for d, _ in calendar}), max(1, columns * cell // 40))
    seen = 0
    last_x = -100.0
    for day, _ in calendar:
        if day == first or day.day == 1:
            x = left + (day - first_monday).days // 7 * cell
            # The year with the first month and January; a name with no room to the drawing's edge is shortened,
            # or left out (a month starting in the last column).
            names = [f"{day:%b %Y}", f"{day:%b}"] if day.month == 1 or day == first else [f"{day:%b}"]
            label = next((n for n in names if x + _text_width(n, font) <= width), "")
            if seen % month_every == 0 and x - last_x >= 30 and label:
                parts.append(f'<text x="{x}" y="{font * 1.1:g}" {attrs}>{label}</text>')
                last_x = x + (30 if len(label) > 3 else 0)
            seen += 1
    parts.append("</g>")
    outline = f'stroke="{GRID}"' if fills is STATE_FILL else f'stroke="{INK}" stroke-width="0.5"'  # print: outlined
    for day, state in calendar:
        offset = (day - first_monday).days
        x, y = left + offset // 7 * cell, top + offset % 7 * cell
        parts.append(
            f'<rect class="day-{state}" x="{x}" y="{y}" width="{cell - gap}" height="{cell - gap}" rx="2" '
            f'fill="{fills[state]}" {outline}><title>{WEEKDAYS[offset % 7]} {_short(day)}: '
            f"{STATE_WORDS[state]}"
            "</title></rect>"
        )
    return _svg(parts)


# --- Captions: the key number of each chart, the same words on the page and in the report -------------


def peak_hour_words(hours: Sequence[int]) -> str:
    """The hour or hours of the day most episodes started in, as the end of the hours caption: '; most often at
    14:00 (5)', '; most often at 08:00 and 14:00 (3 each)'; a tie of more is counted, not listed; nothing when
    one episode or fewer, and "no two in the same hour" when no hour has two: a tie of ones is not a peak."""
    top = max(hours, default=0)
    if sum(hours) < 2:
        return ""
    if top < 2:
        return "; no two in the same hour"
    peaks = [f"{h:02d}:00" for h, count in enumerate(hours) if count == top]
    if len(peaks) == 1:
        return f"; most often at {peaks[0]} ({top})"
    if len(peaks) <= 3:
        return f"; most often at {vocab.in_a_list(peaks)} ({top} each)"
    return f"; {len(peaks)} hours tie for most often ({top} each)"


def captions(trends: Trends) -> dict[str, str]:
    per = trends.unit
    n = trends.episodes
    # A rate over the period's days, not its calendar weeks: a 91-day range touches 14 weeks but is 13 long.
    per_unit = n / trends.days * (7 if per == WEEK else 1) if trends.days else 0
    rate = f"{per_unit:.1f}".rstrip("0").rstrip(".")
    night = sum(c for h, c in enumerate(trends.hours) if vocab.is_night_hour(h))
    return {
        "frequency": (
            f"{vocab.counted(n, 'episode')} in {vocab.counted(trends.days, 'day')}: {rate} a {per} on average; "
            f"{trends.days_logged} of {vocab.counted(trends.days, 'day')} logged."
        ),
        "calendar": (
            f"{vocab.counted(trends.days_with_numbness, 'day')} with numbness, {trends.days_without_numbness} without, "
            f"{trends.days_not_logged} not logged."
        ),
        "severity": (
            f"Mean severity {trends.mean_severity:g} of {vocab.SEVERITY_MAX} over {vocab.counted(n, 'episode')}; "
            f"dots are episodes, the line is each {per}'s mean."
            if trends.mean_severity is not None
            else "No severity to show: no episodes in this period."
        ),
        "duration": (
            f"Median duration {trends.median_duration}; bars are each {per}'s median."
            if trends.median_minutes is not None
            else "No duration known in this period: each episode is still going or not sure how long."
            if n
            else "No episodes in this period, so no duration."
        ),
        "hours": (
            f"{night} of {vocab.counted(n, 'episode')} started at night ({vocab.NIGHT_LABEL}, the solid bars)"
            f"{peak_hour_words(trends.hours)}."
            if n
            else "No episodes in this period."
        ),
    }


def trends_charts(
    trends: Trends,
    *,
    href: Href | None = None,
    marks: Sequence[tuple[dt.date, str]] = (),
    bands: Sequence[Band] = (),
) -> dict[str, SafeString]:
    """The Trends page's charts: frequency (with the bands under it), severity, duration, hours and calendar."""
    first = trends.first
    return {
        "frequency": frequency_chart(
            trends.buckets, trends.unit, first=first, href=href, marks=marks, bands=bands, last=trends.last
        ),
        "severity": severity_chart(trends.severities, trends.buckets, trends.unit, first=first),
        "duration": duration_chart(trends.buckets, trends.unit, first=first, href=href),
        "hours": hours_chart(trends.hours),
        "calendar": calendar_chart(trends.calendar),
    }


def report_charts(trends: Trends) -> dict[str, SafeString]:
    """The physician report's charts (PDF and shared page): which days were logged, frequency and severity by week
    (the weekly median, DESIGN §10), and hours."""
    return {
        # Drawn at one unit a CSS pixel in print and on the shared page: 13-unit text is 10 pt, a year of weeks
        # 11-unit squares across 620 units (164 mm), a quarter's 22-unit squares across 342.
        "calendar": calendar_chart(
            trends.calendar, font=13, fills=PRINT_STATE_FILL, min_columns=REPORT_CALENDAR_WEEKS, room=REPORT_CALENDAR
        ),
        "frequency": frequency_chart(trends.weeks, WEEK, size=REPORT, first=trends.first),
        "severity": severity_chart(
            trends.severities, trends.weeks, WEEK, size=REPORT, first=trends.first, statistic="median"
        ),
        "hours": hours_chart(trends.hours, size=REPORT),
    }


# --- Data tables: every chart's numbers as a table, built here because they can be hundreds of rows -----


def data_table(
    head: Sequence[str], rows: Sequence[Sequence[object]], *, links: Sequence[str] | None = None
) -> SafeString:
    """A `table.data`: the first cell of each row is its header (a link when `links` gives one)."""
    parts = ['<table class="data"><thead><tr>']
    parts += [f'<th scope="col">{escape(h)}</th>' for h in head]
    parts.append("</tr></thead><tbody>")
    for i, row in enumerate(rows):
        first = escape(str(row[0]))
        if links:
            first = f'<a href="{escape(links[i])}">{first}</a>'
        cells = "".join(f"<td>{escape(str(cell))}</td>" for cell in row[1:])
        parts.append(f'<tr><th scope="row">{first}</th>{cells}</tr>')
    if not rows:
        parts.append(f'<tr><td colspan="{len(head)}">Nothing to show.</td></tr>')
    parts.append("</tbody></table>")
    return mark_safe("".join(parts))  # noqa: S308 - every cell escaped


def _number(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def trends_tables(trends: Trends, href: Href | None = None) -> dict[str, SafeString]:
    """The data tables behind the charts: per day or week (linked to History when `href` is given), per hour."""
    unit = trends.unit
    first_col = "Day" if unit == DAY else "Week of"
    labels = [
        f"{b.start:%a} {_short(b.start)}" if unit == DAY else f"{_short(b.start)} {b.start.year}"
        for b in trends.buckets
    ]
    links = [href(b) for b in trends.buckets] if href else None
    return {
        "frequency": data_table(
            [first_col, "Episodes", "Days with numbness", "Days logged"],
            [
                (label, b.episodes, b.days_with_numbness, f"{b.days_logged} of {b.days_in_range}")
                for label, b in zip(labels, trends.buckets, strict=True)
            ],
            links=links,
        ),
        "severity": data_table(
            [first_col, "Mean severity", "Median minutes"],
            [
                (label, _number(b.mean_severity), _number(b.median_minutes))
                for label, b in zip(labels, trends.buckets, strict=True)
            ],
            links=links,
        ),
        "hours": data_table(
            ["Hour", "Episodes"],
            [(f"{h:02d}:00{' (night)' if vocab.is_night_hour(h) else ''}", n) for h, n in enumerate(trends.hours)],
        ),
    }
