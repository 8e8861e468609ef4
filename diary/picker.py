"""The log form's leg map picker: every place as a choice, the map's views to tap, and the choice in words.

The geometry is `diary/bodymap.py`; `templates/diary/_bodymap.html` draws it and `static/js/bodymap.js`
turns each region into a toggle button. Without JavaScript the same choices are a list of checkboxes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from diary import bodymap, vocab


def choices() -> list[tuple[str, str]]:
    """Checkbox choices ("left:sole", "Left sole"), left leg first, toes up to the saddle."""
    return [(place.key, place.label) for place in vocab.every_place()]


def chosen(keys: Iterable[str]) -> list[vocab.Place]:
    """The places these keys name, in natural order; anything that is not a place is left out."""
    found = []
    for key in keys:
        try:
            found.append(vocab.Place.parse(key))
        except ValueError:
            continue
    return vocab.places(found)


def describe(keys: Iterable[str]) -> str:
    """The selection in words, in natural order: 'Left toes, left sole'."""
    return vocab.places_in_words(chosen(keys))


def context(keys: Iterable[str]) -> dict[str, Any]:
    """What templates/diary/_bodymap.html draws: the views, and what is chosen in words."""
    return {"views": bodymap.views(), "chosen_places": describe(keys)}
