"""The 0-10 severity colours: the stylesheet is their one home; every number stays readable in light and dark."""

import re
from pathlib import Path

import pytest

from diary import vocab
from tests.contrast import contrast, relative_luminance

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()


def declared(block: str) -> list[tuple[str, str]]:
    """(fill, text colour) of each step 0…10 that a block of the stylesheet declares."""
    fills = {int(n): c for n, c in re.findall(r"--sev-(\d+): (#[0-9a-f]{6});", block)}
    texts = {int(n): c for n, c in re.findall(r"--sev-(\d+)-fg: (#[0-9a-f]{6});", block)}
    return [(fills[n], texts[n]) for n in sorted(fills)]


LIGHT_BLOCK, DARK_BLOCK = CSS.split("@media (prefers-color-scheme: dark)", 1)
LIGHT, DARK = declared(LIGHT_BLOCK), declared(DARK_BLOCK.split("\n}\n", 1)[0])


@pytest.mark.parametrize("scale", [LIGHT, DARK], ids=["light", "dark"])
def test_every_number_is_readable_on_its_colour(scale):
    assert len(scale) == len(vocab.SEVERITY_SCALE)
    for fill, text in scale:
        assert contrast(fill, text) >= 4.5, (fill, text)


def test_worse_stands_out_more():
    light = [relative_luminance(fill) for fill, _ in LIGHT]
    dark = [relative_luminance(fill) for fill, _ in DARK]
    assert light == sorted(light, reverse=True)  # darker and darker on a white page
    assert dark == sorted(dark)  # brighter and brighter on a dark page


def test_contrast():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#777777") == 1


def test_severity_chips_and_badges_carry_their_step(web):
    page = web.get("/log/").content.decode()
    for n in vocab.SEVERITY_SCALE:
        assert f'class="chip sev-{n}"' in page
