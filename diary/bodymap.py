"""Geometry of the leg diagram: both legs, front and back, every region of DESIGN §4 on each side.

The log form draws it for tapping; later the trends page and report shade it by count.
"""

from __future__ import annotations

from dataclasses import dataclass

from diary import vocab

LEG_WIDTH = 56
GAP = 16
MARGIN = 12
VIEW_WIDTH = 2 * LEG_WIDTH + GAP + 2 * MARGIN
VIEW_HEIGHT = 380

# (region, top, height, part of the leg's width) for each view, from hip to toes. "outer"
# and "inner" take a strip on that side of the leg; "full" the whole width. At the top, "saddle"
# is the inner strip reaching to the midline (the two sides meet between the legs), and
# "beside_saddle" the rest of the leg's width.
_BANDS = {
    "front": [
        ("groin", 0, 40, "beside_saddle"),
        ("saddle", 0, 40, "saddle"),
        ("thigh_outer", 44, 110, "outer"),
        ("thigh_front", 44, 110, "inner"),
        ("knee", 158, 34, "full"),
        ("shin", 196, 96, "full"),
        ("ankle", 296, 24, "full"),
        ("top_of_foot", 324, 26, "full"),
        ("toes", 354, 22, "full"),
    ],
    "back": [
        ("buttock", 0, 40, "beside_saddle"),
        ("saddle", 0, 40, "saddle"),
        ("thigh_outer", 44, 110, "outer"),
        ("thigh_back", 44, 110, "inner"),
        ("knee", 158, 34, "full"),
        ("calf", 196, 96, "full"),
        ("ankle", 296, 24, "full"),
        ("heel", 324, 22, "full"),
        ("sole", 350, 26, "full"),
    ],
}
OUTER_STRIP = 18
SADDLE_STRIP = 18


@dataclass(frozen=True)
class Shape:
    side: str
    region: str
    x: int
    y: int
    width: int
    height: int

    @property
    def key(self) -> str:
        return f"{self.side}:{self.region}"

    @property
    def label(self) -> str:
        return f"{vocab.SIDES[self.side].label} {vocab.REGIONS[self.region].label.lower()}"


@dataclass(frozen=True)
class View:
    name: str  # "front" or "back"
    title: str
    shapes: list[Shape]
    side_labels: list[tuple[int, str]]  # (x centre, "Right") under each leg


def _leg_shapes(view: str, side: str, left_edge: int, outer_on_left: bool) -> list[Shape]:
    shapes = []
    for region, top, height, part in _BANDS[view]:
        x, width = left_edge, LEG_WIDTH
        if part == "saddle":
            width = SADDLE_STRIP + GAP // 2
            x = left_edge - GAP // 2 if outer_on_left is False else left_edge + LEG_WIDTH - SADDLE_STRIP
        elif part == "beside_saddle":
            width = LEG_WIDTH - SADDLE_STRIP - 2
            x = left_edge if outer_on_left else left_edge + SADDLE_STRIP + 2
        elif part != "full":
            strip_on_left = outer_on_left == (part == "outer")
            width = OUTER_STRIP if part == "outer" else LEG_WIDTH - OUTER_STRIP - 2
            x = left_edge if strip_on_left else left_edge + LEG_WIDTH - width
        shapes.append(Shape(side, region, x, top + MARGIN, width, height))
    return shapes


def views() -> list[View]:
    """Front as seen facing the patient (their right leg on the viewer's left); back as seen from behind."""
    left_x, right_x = MARGIN, MARGIN + LEG_WIDTH + GAP
    centre = LEG_WIDTH // 2
    front = _leg_shapes("front", "right", left_x, True) + _leg_shapes("front", "left", right_x, False)
    back = _leg_shapes("back", "left", left_x, True) + _leg_shapes("back", "right", right_x, False)
    return [
        View("front", "Front", front, [(left_x + centre, "Right"), (right_x + centre, "Left")]),
        View("back", "Back", back, [(left_x + centre, "Left"), (right_x + centre, "Right")]),
    ]


def location_choices() -> list[tuple[str, str]]:
    """Checkbox choices 'side:region', left leg first, toes up to the saddle."""
    return [
        (f"{side}:{region}", f"{vocab.SIDES[side].label} {vocab.REGIONS[region].label.lower()}")
        for side in vocab.SIDES
        for region in vocab.REGIONS
    ]


@dataclass(frozen=True)
class ShadedShape:
    shape: Shape
    count: int
    heat: int  # 0 (never) … 4 (most often)


def heat_level(count: int, most: int) -> int:
    return 0 if count == 0 or most == 0 else max(1, -(-4 * count // most))


def shaded_views(counts: dict[str, int]) -> list[tuple[View, list[ShadedShape]]]:
    """The diagram with each region shaded by how many episodes involved it ('side:region' → count)."""
    most = max(counts.values(), default=0)
    return [
        (view, [ShadedShape(s, counts.get(s.key, 0), heat_level(counts.get(s.key, 0), most)) for s in view.shapes])
        for view in views()
    ]


def region_rows(counts: dict[str, int]) -> list[tuple[str, int]]:
    """('Left calf', 12) rows, most often first, for the diagram's data table."""
    labels = dict(location_choices())
    return sorted(((labels[key], n) for key, n in counts.items() if n), key=lambda row: (-row[1], row[0]))
