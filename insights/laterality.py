"""Which leg, in words: one episode's side and a period's, as every page and the report say it (DESIGN §10).

An episode is on the left leg only, the right leg only, or both legs. A period is described by how many
episodes fell in each: "left leg only (all 71)", "both legs in all 3", "alternating: left only 4, right
only 4", "mostly left (9 of 12), both 3". "Mostly" means more than half, so a tie is never "mostly": it
is said as the counts that tie.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from diary import vocab
from diary.facts import EpisodeFacts

LEFT, RIGHT, BOTH = "left", "right", "both"
ORDER = (LEFT, RIGHT, BOTH)  # how ties are listed
EPISODE_WORDS = {LEFT: "left leg only", RIGHT: "right leg only", BOTH: "both legs"}
SHORT = {LEFT: "L", RIGHT: "R", BOTH: "L+R"}  # the episode table's abbreviations
_REST = {LEFT: "left only", RIGHT: "right only", BOTH: "both"}  # a minority beside "mostly …"
_MOSTLY = {LEFT: "left", RIGHT: "right", BOTH: "both legs"}
MIDLINE_ONLY = "saddle area only"


def side_of(sides: Collection[str]) -> str:
    """LEFT, RIGHT or BOTH for the set of sides an episode's places are on."""
    if len(sides) > 1:
        return BOTH
    return LEFT if LEFT in sides else RIGHT


def leg_sides(episode: EpisodeFacts) -> set[str]:
    """The legs an episode involves: the sides of its places, the saddle (between the legs) left out."""
    return {side for side, region in episode.locations if region not in vocab.MIDLINE_REGIONS}


def episode_words(episode: EpisodeFacts) -> str:
    """'left leg only', 'right leg only', 'both legs', or 'saddle area only' for an episode in neither leg."""
    legs = leg_sides(episode)
    return EPISODE_WORDS[side_of(legs)] if legs else MIDLINE_ONLY


@dataclass(frozen=True)
class SideCounts:
    left: int = 0
    right: int = 0
    both: int = 0
    midline: int = 0  # in the saddle area only, neither leg

    @property
    def total(self) -> int:
        """Episodes in one leg or both."""
        return self.left + self.right + self.both

    def of(self, side: str) -> int:
        return {LEFT: self.left, RIGHT: self.right, BOTH: self.both}[side]


def count(episodes: Iterable[EpisodeFacts]) -> SideCounts:
    legs = [leg_sides(e) for e in episodes]
    sides = [side_of(s) for s in legs if s]
    return SideCounts(sides.count(LEFT), sides.count(RIGHT), sides.count(BOTH), sum(not s for s in legs))


def period_words(counts: SideCounts) -> str:
    """The period's laterality in words, e.g. 'mostly left (9 of 12), both 3'; episodes in the saddle area only
    are said apart ('…; saddle area only 1')."""
    legs = _legs_words(counts)
    if not counts.midline:
        return legs
    midline = f"{MIDLINE_ONLY} {counts.midline}"
    return f"{legs}; {midline}" if counts.total else f"{midline}, in neither leg"


def _legs_words(counts: SideCounts) -> str:
    n = counts.total
    if n == 0:
        return "no episodes"
    present = sorted((s for s in ORDER if counts.of(s)), key=lambda s: (-counts.of(s), ORDER.index(s)))
    top = present[0]
    if len(present) == 1:
        every = {1: "the 1 episode", 2: "both episodes"}.get(n, f"all {n}")
        return f"both legs in {every}" if top == BOTH else f"{EPISODE_WORDS[top]} ({every})"
    rest = ", ".join(f"{_REST[s]} {counts.of(s)}" for s in present[1:])
    if counts.of(top) * 2 > n:
        return f"mostly {_MOSTLY[top]} ({counts.of(top)} of {n}), {rest}"
    listed = ", ".join(f"{_REST[s]} {counts.of(s)}" for s in present)
    if counts.both == 0:  # left only and right only, as many of each
        return f"alternating: {listed}"
    return f"mixed: {listed}"


def describe(episodes: Iterable[EpisodeFacts]) -> str:
    """`period_words` for these episodes."""
    return period_words(count(episodes))
