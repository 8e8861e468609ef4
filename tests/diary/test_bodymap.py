"""The leg map's geometry: every region on both sides, big enough to tap, drawn as shapes that do not overlap."""

import re

import pytest
from django.template.loader import render_to_string

from diary import bodymap, picker, vocab

EVERY_KEY = {f"{side}:{region}" for side in vocab.SIDES for region in vocab.REGIONS}


def outline(shape: bodymap.Shape) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.d)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def inside(point: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    """Ray casting: is the point inside the closed polygon?"""
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def test_every_region_of_the_vocabulary_is_on_the_map_on_both_sides():
    views = {view.name: view for view in bodymap.views()}
    assert list(views) == ["front", "back", "feet"]
    assert {shape.key for view in views.values() for shape in view.shapes} == EVERY_KEY
    for view in views.values():
        keys = [shape.key for shape in view.shapes]
        assert len(keys) == len(set(keys)), view.name  # once per view
        regions = {shape.region for shape in view.shapes}
        for region in regions:  # each side of every region drawn in a view can be tapped
            assert {f"left:{region}", f"right:{region}"} <= set(keys)
    for code, term in vocab.REGIONS.items():  # "both": drawn on the front and on the back of the legs
        if term.view == "both":
            assert f"left:{code}" in {s.key for s in views["front"].shapes}, code
            assert f"left:{code}" in {s.key for s in views["back"].shapes}, code


def test_every_region_is_at_least_a_44_unit_target():
    for view in bodymap.views():
        for shape in view.shapes:
            _, _, width, height = shape.box
            assert width >= bodymap.MIN_TARGET and height >= bodymap.MIN_TARGET, (view.name, shape.key, shape.box)


def test_regions_are_drawn_shapes_that_do_not_overlap():
    for view in bodymap.views():
        polygons = {shape.key: outline(shape) for shape in view.shapes}
        for shape in view.shapes:
            assert len(polygons[shape.key]) > 8, shape.key  # a curved outline, not a rectangle
            point = (float(shape.label_x), float(shape.label_y))
            assert inside(point, polygons[shape.key]), (view.name, shape.key)  # the label sits on its shape
            others = [key for key, polygon in polygons.items() if key != shape.key and inside(point, polygon)]
            assert others == [], (view.name, shape.key, others)
            x, y, width, height = shape.box
            assert 0 <= x and x + width <= view.width and 0 <= y and y + height <= view.height


def test_the_two_legs_are_mirror_images():
    front = {shape.key: shape for shape in bodymap.views()[0].shapes}
    for key, shape in front.items():
        side, region = key.split(":")
        other = front[f"{'left' if side == 'right' else 'right'}:{region}"]
        x, y, width, height = shape.box
        ox, oy, owidth, oheight = other.box
        assert (round(x + width + ox), round(y), round(width), round(height)) == (
            bodymap.LEGS_WIDTH,
            round(oy),
            round(owidth),
            round(oheight),
        )


def test_front_shows_the_patients_right_leg_on_the_viewers_left_and_back_the_opposite():
    front, back, _ = bodymap.views()
    knee = {s.key: s.box[0] for s in front.shapes if s.region == "knee"}
    assert knee["right:knee"] < knee["left:knee"]
    knee = {s.key: s.box[0] for s in back.shapes if s.region == "knee"}
    assert knee["left:knee"] < knee["right:knee"]


@pytest.mark.parametrize(
    "keys, words",
    [
        (["left:sole", "left:toes"], "Left toes, left sole"),
        (["right:knee", "left:calf"], "Left calf, right knee"),
        (["left:elbow", "left:heel", "left:heel"], "Left heel"),
        ([], ""),
    ],
)
def test_the_selection_in_words(keys, words):
    assert picker.describe(keys) == words


def test_the_log_map_is_a_picture_until_the_script_makes_it_buttons():
    html = render_to_string("diary/_bodymap.html", {"views": bodymap.views()})
    assert html.count('aria-hidden="true"') == 3  # bodymap.js turns each view into a group of toggle buttons
    assert "<rect" not in html
    for key in EVERY_KEY:
        assert f'data-location="{key}"' in html


def test_the_word_on_each_shape_is_part_of_its_accessible_name():
    for view in bodymap.views():
        for shape in view.shapes:
            assert shape.short.lower() in shape.label.lower(), shape.key
            assert shape.label.startswith(vocab.SIDES[shape.side].label + " ")


def centre_x(view: bodymap.View, key: str) -> float:
    x, _, width, _ = next(shape.box for shape in view.shapes if shape.key == key)
    return x + width / 2


@pytest.mark.parametrize("side_by_side", [False, True])  # the log form's inset, and Trends'
def test_the_feet_are_drawn_as_the_legs_beside_them_the_tops_facing_the_patient_the_soles_from_behind(side_by_side):
    """Beside the front of the legs (the patient's right leg on the viewer's left) a drawing of the tops of the feet
    with the left foot on the left put one foot on two sides of one screen: a tap on "the same side" in both marked
    the other foot. The tops face the patient as the front does, the soles are seen from behind as the back is, and
    the caption of the soles says so; the report draws the same feet."""
    front, back, _ = bodymap.views()
    feet = bodymap.feet_view(side_by_side=side_by_side)
    for view, region in ((front, "shin"), (feet, "toes"), (feet, "top_of_foot")):
        assert centre_x(view, f"right:{region}") < centre_x(view, f"left:{region}"), (view.name, region)
    for view, region in ((back, "calf"), (feet, "sole"), (feet, "heel")):
        assert centre_x(view, f"left:{region}") < centre_x(view, f"right:{region}"), (view.name, region)
    assert [caption for _, _, caption in feet.captions] == ["Tops of the feet", "Soles, from behind"]
    for name in ("tops", "soles"):  # the report's panels: the same feet, each on the same side
        panel = bodymap.foot_panel(name)
        for region in {shape.region for shape in panel.shapes}:
            right_first = [centre_x(v, f"right:{region}") < centre_x(v, f"left:{region}") for v in (feet, panel)]
            assert right_first[0] == right_first[1], (name, region)
