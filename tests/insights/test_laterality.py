"""Laterality in words (DESIGN §10): one-sided, both legs, alternating, mixed; "mostly" only above half."""

import datetime as dt

import pytest

from diary.facts import EpisodeFacts
from insights import laterality
from insights.laterality import SideCounts, period_words

LEFT, RIGHT, BOTH = {("left", "sole")}, {("right", "calf")}, {("left", "toes"), ("right", "toes")}


def episodes(*places: set[tuple[str, str]]) -> list[EpisodeFacts]:
    start = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
    return [
        EpisodeFacts(
            id=str(i), start=start + dt.timedelta(days=i), duration_minutes=5, severity=3, locations=frozenset(where)
        )  # fmt: skip
        for i, where in enumerate(places)
    ]


@pytest.mark.parametrize(
    ("counts", "words"),
    [
        (SideCounts(left=71), "left leg only (all 71)"),
        (SideCounts(right=1), "right leg only (the 1 episode)"),
        (SideCounts(both=3), "both legs in all 3"),
        (SideCounts(both=1), "both legs in the 1 episode"),
        (SideCounts(both=2), "both legs in both episodes"),  # not "in all 2"
        (SideCounts(right=2), "right leg only (both episodes)"),
        (SideCounts(left=4, right=4), "alternating: left only 4, right only 4"),
        (SideCounts(left=9, both=3), "mostly left (9 of 12), both 3"),
        (SideCounts(left=3, right=9), "mostly right (9 of 12), left only 3"),
        (SideCounts(left=2, right=1, both=7), "mostly both legs (7 of 10), left only 2, right only 1"),
        # A tie at the top is never "mostly", and neither is exactly half.
        (SideCounts(left=3, right=1, both=3), "mixed: left only 3, both 3, right only 1"),
        (SideCounts(left=2, both=2), "mixed: left only 2, both 2"),
        (SideCounts(left=5, right=3, both=2), "mixed: left only 5, right only 3, both 2"),
        (SideCounts(left=4, right=3), "mostly left (4 of 7), right only 3"),
        (SideCounts(), "no episodes"),
    ],
)
def test_period_words(counts, words):
    assert period_words(counts) == words


def test_each_episode_is_left_right_or_both():
    left, right, both = episodes(LEFT, RIGHT, BOTH)
    assert [laterality.episode_words(e) for e in (left, right, both)] == [
        "left leg only",
        "right leg only",
        "both legs",
    ]
    assert laterality.count([left, right, both, both]) == SideCounts(left=1, right=1, both=2)


def test_symmetric_toes_are_both_legs_not_mostly_left():
    # Both big toes, ten times: the old summary said "mostly the left toes".
    assert laterality.describe(episodes(*[BOTH] * 10)) == "both legs in all 10"


def test_sciatica_swapping_sides():
    assert laterality.describe(episodes(LEFT, RIGHT, LEFT, RIGHT)) == "alternating: left only 2, right only 2"
    assert laterality.describe(episodes(LEFT, RIGHT, LEFT)) == "mostly left (2 of 3), right only 1"


def test_the_saddle_is_neither_leg():
    saddle = {("left", "saddle"), ("right", "saddle")}
    only, with_leg = episodes(saddle, saddle | {("left", "calf")})
    assert laterality.episode_words(only) == "saddle area only"
    assert laterality.episode_words(with_leg) == "left leg only"
    assert laterality.describe([only]) == "saddle area only 1, in neither leg"
    assert laterality.describe([only, with_leg]) == "left leg only (the 1 episode); saddle area only 1"
