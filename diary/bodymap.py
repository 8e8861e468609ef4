"""The leg map's geometry: front and back silhouettes of both legs, and a foot inset, as SVG paths.

Pure geometry, no templates: every region of the vocabulary (DESIGN §4) is a shape on each side.
The log form's picker (`diary/picker.py`) draws it for tapping (every shape at least 44×44 CSS px
at a 390 px wide phone); the heat map (`insights/heatmap.py`) shades each shape by how often it
was involved, for Trends and the physician report.

Coordinates are SVG user units; the log form draws them 1:1 as CSS pixels on a phone, so the
44-unit minimum below is the touch-target minimum.

The shapes are computed, not hand-drawn: each leg's outline is two smooth edges (lateral and
medial) through a few control points, and the regions are slices of that outline between curved
boundaries, so neighbouring regions share their borders exactly. The second leg is the mirror image.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

from diary import vocab

MIN_TARGET = 44  # the smallest width and height of a tappable region, in units (= CSS px at 390 px)

LEGS_WIDTH = 220
LEGS_HEIGHT = 452
MIDLINE = LEGS_WIDTH / 2
FEET_WIDTH = 128

Point = tuple[float, float]

# Short words drawn on the shapes; the full name ("Left outer thigh") is the accessible name.
SHORT_LABELS = {
    "toes": "Toes",
    "sole": "Sole",
    "heel": "Heel",
    "top_of_foot": "Top",  # drawn under the heading "Tops of the feet"
    "ankle": "Ankle",
    "shin": "Shin",
    "calf": "Calf",
    "knee": "Knee",
    "thigh_front": "Thigh",
    "thigh_outer": "Outer thigh",
    "thigh_back": "Thigh",
    "buttock": "Buttock",
    "groin": "Groin",
    "saddle": "Saddle",
}


# --- smooth curves -------------------------------------------------------------------------------


def _pchip(points: Sequence[Point]) -> Callable[[float], float]:
    """A smooth function through (t, value) control points that never overshoots them (monotone cubic)."""
    ts = [p[0] for p in points]
    vs = [p[1] for p in points]
    n = len(points)
    slopes = [(vs[i + 1] - vs[i]) / (ts[i + 1] - ts[i]) for i in range(n - 1)]
    tangents = [slopes[0]] + [
        0.0 if slopes[i - 1] * slopes[i] <= 0 else 2 / (1 / slopes[i - 1] + 1 / slopes[i]) for i in range(1, n - 1)
    ]
    tangents.append(slopes[-1])

    def value(t: float) -> float:
        i = max(0, min(n - 2, next((k for k in range(n - 1) if t <= ts[k + 1]), n - 2)))
        h = ts[i + 1] - ts[i]
        s = (t - ts[i]) / h
        h00, h10 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s
        h01, h11 = -2 * s**3 + 3 * s**2, s**3 - s**2
        return h00 * vs[i] + h10 * h * tangents[i] + h01 * vs[i + 1] + h11 * h * tangents[i + 1]

    return value


def _steps(start: float, end: float, step: float = 4.0) -> list[float]:
    count = max(1, math.ceil(abs(end - start) / step))
    return [start + (end - start) * k / count for k in range(count + 1)]


def _edge(x_of_y: Callable[[float], float], y0: float, y1: float) -> list[Point]:
    """Points down (or up) an edge x = f(y) from y0 to y1."""
    return [(x_of_y(y), y) for y in _steps(y0, y1)]


def _across(x0: float, x1: float, y: float, bulge: float = 0.0) -> list[Point]:
    """Points across the leg at height y, bowed by `bulge` units in the middle (negative: upwards)."""
    return [(x, y + bulge * math.sin(math.pi * (x - x0) / (x1 - x0))) for x in _steps(x0, x1)]


def _curve(points: Sequence[Point], step: float = 4.0) -> list[Point]:
    """A smooth curve through points ordered by x (either direction)."""
    ordered = sorted(points)
    y_of_x = _pchip(ordered)
    xs = _steps(points[0][0], points[-1][0], step)
    return [(x, y_of_x(x)) for x in xs]


def _path(*runs: Iterable[Point]) -> list[Point]:
    """Join runs of points into one closed outline, dropping a repeated joint."""
    outline: list[Point] = []
    for run in runs:
        for point in run:
            if not outline or math.dist(outline[-1], point) > 0.05:
                outline.append(point)
    if len(outline) > 1 and math.dist(outline[0], outline[-1]) <= 0.05:
        outline.pop()
    return outline


SIMPLIFY_TOLERANCE = 0.25  # units (CSS px on a phone): how far a drawn outline may stray from the computed one


def _simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """The points of an open line that matter: Ramer–Douglas–Peucker, keeping both ends."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = first, 0.0
        for i in range(first + 1, last):
            x, y = points[i]
            d = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length if length else math.hypot(x - x1, y - y1)
            if d > distance:
                farthest, distance = i, d
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _d(points: Sequence[Point]) -> str:
    """SVG path data of a closed outline, drawn with only the points that matter.

    The outlines are sampled every 4 units, which the hit-box and label arithmetic above wants; drawn, a point
    that lies within a quarter of a unit of the line through its neighbours changes nothing on screen or in
    print, and costs the page bytes to parse and the browser a segment to build. About 70 % of them go.
    Written short: tenths without a trailing ".0", and the points after the first line's as its implicit
    continuation ("M1 2L3 4 5 6Z" is "M1 2L3 4L5 6Z")."""
    start = max(range(len(points)), key=lambda i: math.dist(points[0], points[i]))  # the ring's far side
    ring = [*points, points[0]]
    points = _simplify(ring[: start + 1], SIMPLIFY_TOLERANCE)[:-1] + _simplify(ring[start:], SIMPLIFY_TOLERANCE)[:-1]
    (x0, y0), *rest = points
    return f"M{_n(x0)} {_n(y0)}L" + " ".join(f"{_n(x)} {_n(y)}" for x, y in rest) + "Z"


def _n(value: float) -> str:
    """A coordinate to a tenth of a unit, as short as it reads: 41, 84.1, -3.5."""
    text = f"{value:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _mirror(points: Sequence[Point], width: float) -> list[Point]:
    return [(width - x, y) for x, y in reversed(points)]


# --- the leg on the viewer's left; the other leg is its mirror image ------------------------------

TOP = 14  # waistband
HIP = 62  # where the lateral edge meets the groin crease (front) or where the thigh begins
CROTCH = 112
KNEE_TOP, KNEE_BOTTOM = 198, 246
ANKLE_TOP, ANKLE_BOTTOM = 350, 396
FOOT_SPLIT, FOOT_BOTTOM = 420, 444

_lateral = _pchip(
    [
        (TOP, 14),
        (40, 10),
        (HIP, 9),
        (100, 11),
        (150, 18),
        (KNEE_TOP, 30),
        (222, 32),
        (KNEE_BOTTOM, 31),
        (274, 25),
        (310, 33),
        (ANKLE_TOP, 42),
        (372, 41),
        (ANKLE_BOTTOM, 41),
    ]
)
_medial = _pchip(
    [
        (CROTCH, 108),
        (130, 104),
        (160, 98),
        (KNEE_TOP, 93),
        (222, 95),
        (KNEE_BOTTOM, 92),
        (266, 98),
        (310, 90),
        (ANKLE_TOP, 88),
        (372, 89),
        (ANKLE_BOTTOM, 88),
    ]
)


def _saddle_edge(y: float) -> float:
    """The saddle's outer border, from the waistband (front) down to the crotch."""
    return 63 + 21 * float(max(0.0, (y - TOP) / (104 - TOP)) ** 1.6)


_SPLIT_TOP_X = 54  # the outer strip of the thigh: 45+ units wide at the hip, narrowing to the knee


def _split_x(y: float, y_top: float) -> float:
    """The border between the outer strip and the rest of the thigh: a straight line down to the knee."""
    x_bottom = _lateral(KNEE_TOP) + 32
    return _SPLIT_TOP_X + (x_bottom - _SPLIT_TOP_X) * (y - y_top) / (KNEE_TOP - y_top)


def _lower_leg() -> dict[str, list[Point]]:
    """Knee, shin/calf and ankle: the same outline in both views."""
    knee_top = _across(_lateral(KNEE_TOP), _medial(KNEE_TOP), KNEE_TOP, -5)
    knee_bottom = _across(_lateral(KNEE_BOTTOM), _medial(KNEE_BOTTOM), KNEE_BOTTOM, 5)
    ankle_top = _across(_lateral(ANKLE_TOP), _medial(ANKLE_TOP), ANKLE_TOP, 3)
    ankle_bottom = _across(_lateral(ANKLE_BOTTOM), _medial(ANKLE_BOTTOM), ANKLE_BOTTOM)
    return {
        "knee": _path(
            knee_top,
            _edge(_medial, KNEE_TOP, KNEE_BOTTOM),
            reversed(knee_bottom),
            _edge(_lateral, KNEE_BOTTOM, KNEE_TOP),
        ),
        "lower": _path(
            knee_bottom,
            _edge(_medial, KNEE_BOTTOM, ANKLE_TOP),
            reversed(ankle_top),
            _edge(_lateral, ANKLE_TOP, KNEE_BOTTOM),
        ),
        "ankle": _path(
            ankle_top,
            _edge(_medial, ANKLE_TOP, ANKLE_BOTTOM),
            reversed(ankle_bottom),
            _edge(_lateral, ANKLE_BOTTOM, ANKLE_TOP),
        ),
        "_knee_top": knee_top,
    }


def _front_leg() -> tuple[dict[str, list[Point]], dict[str, list[Point]]]:
    """(regions, drawn-only parts) of the viewer's left leg seen from the front."""
    lower = _lower_leg()
    knee_top = lower.pop("_knee_top")
    crease_end_y = 84
    crease = _curve([(_lateral(HIP), HIP), (40, 70), (_saddle_edge(crease_end_y), crease_end_y)])
    split_top_y = next(y for x, y in crease if x >= _SPLIT_TOP_X)
    crease_outer = [p for p in crease if p[0] <= _SPLIT_TOP_X] + [(_SPLIT_TOP_X, split_top_y)]
    crease_inner = [(_SPLIT_TOP_X, split_top_y)] + [p for p in crease if p[0] > _SPLIT_TOP_X]
    crotch = _curve([(_saddle_edge(104), 104), (96, 110), (MIDLINE, CROTCH)])
    split = [(_split_x(y, split_top_y), y) for y in _steps(split_top_y, KNEE_TOP)]
    knee_split = min(range(len(knee_top)), key=lambda i: abs(knee_top[i][0] - split[-1][0]))
    split[-1] = knee_top[knee_split]
    regions = {
        "groin": _path(
            [(_lateral(TOP), TOP), (_saddle_edge(TOP), TOP)],
            _edge(_saddle_edge, TOP, crease_end_y),
            reversed(crease),
            _edge(_lateral, HIP, TOP),
        ),
        "saddle": _path(
            [(_saddle_edge(TOP), TOP), (MIDLINE, TOP), (MIDLINE, CROTCH)],
            reversed(crotch),
            _edge(_saddle_edge, 104, TOP),
        ),
        "thigh_outer": _path(
            crease_outer,
            split,
            reversed(knee_top[: knee_split + 1]),
            _edge(_lateral, KNEE_TOP, HIP),
        ),
        "thigh_front": _path(
            crease_inner,
            _edge(_saddle_edge, crease_end_y, 104),
            crotch[:-1],
            _edge(_medial, CROTCH, KNEE_TOP),
            reversed(knee_top[knee_split:]),
            reversed(split),
        ),
        "knee": lower["knee"],
        "shin": lower["lower"],
        "ankle": lower["ankle"],
    }
    # The foot seen from the front, drawn small: it is tapped in the foot inset.
    foot_l, foot_r = _lateral(ANKLE_BOTTOM), _medial(ANKLE_BOTTOM)
    instep: list[Point] = [
        (foot_l, ANKLE_BOTTOM),
        (foot_r, ANKLE_BOTTOM),
        (foot_r + 6, FOOT_SPLIT),
        (foot_l - 5, FOOT_SPLIT),
    ]
    toes = _path([(foot_l - 5, FOOT_SPLIT), (foot_r + 6, FOOT_SPLIT)], _foot_tip(foot_r + 6, foot_l - 5, FOOT_SPLIT))
    return regions, {"top_of_foot": instep, "toes": toes}


def _foot_tip(x_from: float, x_to: float, y: float) -> list[Point]:
    """The rounded front of a foot seen from the front, from x_from back to x_to below height y."""
    depth = FOOT_BOTTOM - y
    return [
        (x, y + depth * max(0.0, math.sin(math.pi * (x - x_to) / (x_from - x_to))) ** 0.5) for x in _steps(x_from, x_to)
    ]


def _back_leg() -> tuple[dict[str, list[Point]], dict[str, list[Point]]]:
    """(regions, drawn-only parts) of the viewer's left leg seen from behind."""
    lower = _lower_leg()
    knee_top = lower.pop("_knee_top")
    fold_y = 100  # the buttock's lower fold at the outer edge
    saddle_top = 48  # where the saddle meets the cleft between the buttocks
    saddle_corner = (63.0, 78.0)
    saddle_arc = _curve([(MIDLINE, saddle_top), (88, 58), saddle_corner])
    fold = _curve([(_lateral(fold_y), fold_y), (36, 108), (58, 104), (_saddle_edge(92) - 0.5, 92)])

    def saddle_side(y: float) -> float:
        return saddle_corner[0] + (_saddle_edge(y) - saddle_corner[0]) * (y - saddle_corner[1]) / (
            104 - saddle_corner[1]
        )

    fold_end = fold[-1]
    split_top_y = next(y for x, y in fold if x >= _SPLIT_TOP_X)
    fold_outer = [p for p in fold if p[0] <= _SPLIT_TOP_X] + [(_SPLIT_TOP_X, split_top_y)]
    fold_inner = [(_SPLIT_TOP_X, split_top_y)] + [p for p in fold if p[0] > _SPLIT_TOP_X]
    crotch = _curve([(_saddle_edge(104), 104), (96, 110), (MIDLINE, CROTCH)])
    split = [(_split_x(y, split_top_y), y) for y in _steps(split_top_y, KNEE_TOP)]
    knee_split = min(range(len(knee_top)), key=lambda i: abs(knee_top[i][0] - split[-1][0]))
    split[-1] = knee_top[knee_split]
    regions = {
        "buttock": _path(
            [(_lateral(TOP), TOP), (MIDLINE, TOP), (MIDLINE, saddle_top)],
            saddle_arc,
            _edge(saddle_side, saddle_corner[1], fold_end[1]),
            reversed(fold),
            _edge(_lateral, fold_y, TOP),
        ),
        "saddle": _path(
            [(MIDLINE, saddle_top), (MIDLINE, CROTCH)],
            reversed(crotch),
            _edge(saddle_side, 104, saddle_corner[1]),
            reversed(saddle_arc),
        ),
        "thigh_outer": _path(
            fold_outer,
            split,
            reversed(knee_top[: knee_split + 1]),
            _edge(_lateral, KNEE_TOP, fold_y),
        ),
        "thigh_back": _path(
            fold_inner,
            _edge(saddle_side, fold_end[1], 104),
            crotch[:-1],
            _edge(_medial, CROTCH, KNEE_TOP),
            reversed(knee_top[knee_split:]),
            reversed(split),
        ),
        "knee": lower["knee"],
        "calf": lower["lower"],
        "ankle": lower["ankle"],
    }
    foot_l, foot_r = _lateral(ANKLE_BOTTOM), _medial(ANKLE_BOTTOM)
    heel_bottom = FOOT_SPLIT + 6
    heel = _path(
        [(foot_l, ANKLE_BOTTOM), (foot_r, ANKLE_BOTTOM)],
        [
            (
                x,
                ANKLE_BOTTOM
                + (heel_bottom - ANKLE_BOTTOM) * max(0.0, math.sin(math.pi * (x - foot_l) / (foot_r - foot_l))) ** 0.4,
            )
            for x in _steps(foot_r, foot_l)
        ],
    )
    cx, rx, cy = (foot_l + foot_r) / 2, (foot_r - foot_l) / 2 + 5, FOOT_BOTTOM - 9
    sole = [(cx + rx * math.cos(a), cy + 7 * math.sin(a)) for a in _steps(0, 2 * math.pi, math.pi / 12)]
    return regions, {"heel": heel, "sole": sole}


# --- the foot inset: tops of both feet and both soles, toes up, big toes to the middle --------

FOOT_BOX = 56
FOOT_LENGTH = 140
TOE_LINE, ARCH_LINE = 47, 93  # toes 2–47, sole 47–93, heel 93–140 (each at least 44 tall)
TOES = [(5, 22, 4.0), (11.5, 15, 4.5), (19.5, 10, 5.2), (29, 6, 6.0), (44, 2, 9.5)]  # (x, tip y, radius), little to big

_foot_lateral = _pchip([(20, 1.5), (TOE_LINE, 1), (80, 4), (110, 6), (128, 9), (FOOT_LENGTH - 2, 20)])
_foot_medial = _pchip([(10, 54), (TOE_LINE, 56), (70, 51), (96, 48), (118, 51), (FOOT_LENGTH - 2, 40)])


def _toe_tips() -> list[Point]:
    points: list[Point] = [(_foot_lateral(20), 20.0)]
    for x, tip, r in TOES:
        cy = tip + r
        points += [(x + r * math.cos(a), cy - r * math.sin(a)) for a in _steps(math.pi, 0, math.pi / 8)]
    points.append((_foot_medial(10), 10.0))
    return points


def _left_foot() -> dict[str, list[Point]]:
    """Regions of the left foot in its box (medial side on the right), toes at the top."""
    toe_line = _across(_foot_lateral(TOE_LINE), _foot_medial(TOE_LINE), TOE_LINE, 2)
    arch_line = _across(_foot_lateral(ARCH_LINE), _foot_medial(ARCH_LINE), ARCH_LINE, 3)
    heel_end = _across(_foot_lateral(FOOT_LENGTH - 2), _foot_medial(FOOT_LENGTH - 2), FOOT_LENGTH - 2, 2)
    toes = _path(_toe_tips(), _edge(_foot_medial, 10, TOE_LINE), reversed(toe_line), _edge(_foot_lateral, TOE_LINE, 20))
    return {
        "toes": toes,
        "top_of_foot": _path(
            toe_line,
            _edge(_foot_medial, TOE_LINE, FOOT_LENGTH - 2),
            reversed(heel_end),
            _edge(_foot_lateral, FOOT_LENGTH - 2, TOE_LINE),
        ),
        "sole": _path(
            toe_line,
            _edge(_foot_medial, TOE_LINE, ARCH_LINE),
            reversed(arch_line),
            _edge(_foot_lateral, ARCH_LINE, TOE_LINE),
        ),
        "heel": _path(
            arch_line,
            _edge(_foot_medial, ARCH_LINE, FOOT_LENGTH - 2),
            reversed(heel_end),
            _edge(_foot_lateral, FOOT_LENGTH - 2, ARCH_LINE),
        ),
    }


# --- assembling the views ------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """One tappable region on one side."""

    side: str
    region: str
    d: str  # SVG path data
    box: tuple[float, float, float, float]  # x, y, width, height
    label_at: Point
    vertical: bool = False  # the short label runs up the shape (the outer thigh's narrow strip)

    @property
    def place(self) -> vocab.Place:
        return vocab.Place(self.side, self.region)

    @property
    def key(self) -> str:
        return self.place.key

    @property
    def label(self) -> str:
        """The accessible name: it contains the word drawn on the shape (WCAG 2.5.3, label in name)."""
        region = vocab.REGIONS[self.region].label.lower()
        if self.short.lower() in region:
            return self.place.label
        # "Right saddle: between the legs / around the bottom"
        return f"{vocab.SIDES[self.side].label} {self.short.lower()}: {region}"

    @property
    def short(self) -> str:
        return SHORT_LABELS.get(self.region, vocab.REGIONS[self.region].label)

    @property
    def label_x(self) -> str:
        return _n(self.label_at[0])

    @property
    def label_y(self) -> str:
        return _n(self.label_at[1])


@dataclass(frozen=True)
class Drawn:
    """A part of the drawing that is not tapped here; it lights up with the region it shows."""

    d: str
    key: str = ""


@dataclass(frozen=True)
class View:
    name: str  # "front", "back" or "feet"
    title: str
    width: int
    height: int
    shapes: list[Shape]
    drawn: list[Drawn] = field(default_factory=list)
    side_labels: list[tuple[float, float, str]] = field(default_factory=list)  # (x, y, "Right")
    captions: list[tuple[float, float, str]] = field(default_factory=list)  # panel titles inside the view

    @property
    def viewbox(self) -> str:
        return f"0 0 {self.width} {self.height}"


def _box(points: Sequence[Point]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _centre(points: Sequence[Point]) -> Point:
    x, y, w, h = _box(points)
    return (x + w / 2, y + h / 2)


LABEL_NUDGE: dict[str, Point] = {  # where a short label sits, relative to its shape's box centre
    "groin": (-4, -8),
    "saddle": (0, -10),
    "back:saddle": (1, -1),  # the widest part of the diamond between the buttocks
    "buttock": (-6, -10),
    "thigh_front": (4, -6),
    "thigh_back": (4, -6),
    "thigh_outer": (-4, -4),
    "knee": (0, 2),
    "shin": (0, -6),
    "calf": (0, -6),
}


def _leg_view(
    name: str, title: str, near_side: str, regions: Mapping[str, list[Point]], drawn: Mapping[str, list[Point]]
) -> View:
    """Both legs: `near_side` is the leg drawn on the viewer's left."""
    far_side = "left" if near_side == "right" else "right"
    shapes: list[Shape] = []
    drawn_parts: list[Drawn] = []
    for side, mirrored in ((near_side, False), (far_side, True)):
        for region, points in regions.items():
            outline = _mirror(points, LEGS_WIDTH) if mirrored else list(points)
            if region not in vocab.REGIONS:
                drawn_parts.append(Drawn(_d(outline)))  # drawn, but not a region of this vocabulary
                continue
            cx, cy = _centre(outline)
            nx, ny = LABEL_NUDGE.get(f"{name}:{region}", LABEL_NUDGE.get(region, (0, 0)))
            shapes.append(
                Shape(
                    side,
                    region,
                    _d(outline),
                    _box(outline),
                    (cx - nx if mirrored else cx + nx, cy + ny),
                    vertical=region == "thigh_outer",
                )
            )
        for region, points in drawn.items():
            outline = _mirror(points, LEGS_WIDTH) if mirrored else list(points)
            drawn_parts.append(Drawn(_d(outline), vocab.Place(side, region).key if region in vocab.REGIONS else ""))
    centre_near, centre_far = 64.0, LEGS_WIDTH - 64.0
    labels: list[tuple[float, float, str]] = [
        (centre_near, LEGS_HEIGHT - 1, vocab.SIDES[near_side].label),
        (centre_far, LEGS_HEIGHT - 1, vocab.SIDES[far_side].label),
    ]
    return View(name, title, LEGS_WIDTH, LEGS_HEIGHT, shapes, drawn_parts, labels)


FOOT_PANELS = {  # name: (title, the foot drawn on the viewer's left, the regions tapped there)
    "tops": ("Tops of the feet", "right", ("toes", "top_of_foot")),
    "soles": ("Soles, from behind", "left", ("sole", "heel")),
}


def _feet(name: str, left: float, top: float) -> tuple[list[Shape], list[Drawn], list[tuple[float, float, str]]]:
    """One panel's two feet, toes up, from (left, top): the tops as seen facing the patient (their right foot on the
    viewer's left, as on the front view of the legs) or the soles as seen from behind (their left foot on the left,
    as on the back view). Each foot's big toe is towards the middle, so the two panels are mirror images with their
    side labels swapped. Every drawing of the feet is made here: the log form's, Trends' and the report's."""
    _, near, regions = FOOT_PANELS[name]
    far = "left" if near == "right" else "right"
    foot = _left_foot()  # big toe on its right: the foot nearest the viewer's left, big toe to the middle
    shapes: list[Shape] = []
    drawn: list[Drawn] = []
    side_labels: list[tuple[float, float, str]] = []
    for side, x0, mirrored in ((near, left + 4.0, False), (far, left + FEET_WIDTH - 4.0 - FOOT_BOX, True)):
        for region, points in foot.items():
            local = _mirror(points, FOOT_BOX) if mirrored else list(points)
            outline = [(x0 + x, top + y) for x, y in local]
            if region in regions:
                cx, cy = _centre(outline)
                shapes.append(
                    Shape(side, region, _d(outline), _box(outline), (cx, cy + (8 if region == "toes" else 0)))
                )
            elif region == "toes":  # the toes' undersides, shown on the soles
                drawn.append(Drawn(_d(outline), vocab.Place(side, "toes").key))
        side_labels.append((x0 + FOOT_BOX / 2, top + FOOT_LENGTH + 14, vocab.SIDES[side].label))
    return shapes, drawn, side_labels


def feet_view(side_by_side: bool = False) -> View:
    """Tops of both feet above their soles (the log form's inset beside the legs), or beside them (Trends)."""
    second = (FEET_WIDTH, 18.0) if side_by_side else (0.0, 18.0 + 16 + FOOT_LENGTH + 44)
    shapes: list[Shape] = []
    drawn: list[Drawn] = []
    captions: list[tuple[float, float, str]] = []
    side_labels: list[tuple[float, float, str]] = []
    for name, (left, top) in (("tops", (0.0, 18.0)), ("soles", second)):
        captions.append((left + FEET_WIDTH / 2, top - 6, FOOT_PANELS[name][0]))
        panel_shapes, panel_drawn, panel_labels = _feet(name, left, top)
        shapes += panel_shapes
        drawn += panel_drawn
        side_labels += panel_labels
    order = {"toes": 0, "top_of_foot": 1, "sole": 2, "heel": 3}
    shapes.sort(key=lambda s: (order[s.region], s.box[0]))  # each panel's feet as drawn, from the viewer's left
    width = 2 * FEET_WIDTH if side_by_side else FEET_WIDTH
    height = int(max(box[1] + box[3] for box in (s.box for s in shapes))) + 22
    return View("feet", "Feet", width, height, shapes, drawn, side_labels, captions)


def foot_panel(name: str) -> View:
    """Both feet of one panel in a view of their own (the report's): the tops facing the patient, or the soles from
    behind (`_feet`)."""
    shapes, drawn, side_labels = _feet(name, 0.0, 4.0)
    return View(name, FOOT_PANELS[name][0], FEET_WIDTH, int(4.0 + FOOT_LENGTH + 20), shapes, drawn, side_labels)


def views() -> list[View]:
    """Front (seen facing the patient: their right leg on the viewer's left), back, and the feet."""
    return list(_views())


@cache
def _views() -> tuple[View, ...]:
    front_regions, front_drawn = _front_leg()
    back_regions, back_drawn = _back_leg()
    return (
        _leg_view("front", "Front", "right", front_regions, front_drawn),
        _leg_view("back", "Back", "left", back_regions, back_drawn),
        feet_view(),
    )
