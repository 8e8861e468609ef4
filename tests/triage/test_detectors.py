"""Each detector at its thresholds: exactly at, just below, just above, and at the window edges."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from collections.abc import Iterable
from typing import TypedDict, Unpack

import pytest

from diary.facts import EpisodeFacts
from triage import detectors, signs

AS_OF = dt.date(2026, 3, 1)
ZONE = zoneinfo.ZoneInfo("Europe/London")
_ids = itertools.count()


class CodeSets(TypedDict, total=False):
    """What else was logged with an episode, for `ep(..., **sets)`."""

    sensations: Iterable[str]
    triggers: Iterable[str]
    symptoms: Iterable[str]
    relieved_by: Iterable[str]


def ep(
    days_ago: int,
    hour: int = 12,
    minute: int = 0,
    *,
    duration: int | None = 5,
    severity: int = 3,
    where: Iterable[tuple[str, str]] = (("left", "sole"),),
    **sets: Unpack[CodeSets],
) -> EpisodeFacts:
    """An episode `days_ago` local days before the review date."""
    day = AS_OF - dt.timedelta(days=days_ago)
    return EpisodeFacts(
        id=f"e{next(_ids):04d}",
        start=dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZONE),
        duration_minutes=duration,
        severity=severity,
        locations=frozenset(where),
        sensations=frozenset(sets.get("sensations", ())),
        triggers=frozenset(sets.get("triggers", ())),
        symptoms=frozenset(sets.get("symptoms", ())),
        relieved_by=frozenset(sets.get("relieved_by", ())),
    )


def codes(episodes, conditions=()) -> set[str]:
    return {f.code for f in detectors.review(episodes, AS_OF, conditions)}


def finding(episodes, code, conditions=()):
    return next((f for f in detectors.review(episodes, AS_OF, conditions) if f.code == code), None)


# --- windows ------------------------------------------------------------------------------------


def test_windows_are_the_documented_local_dates():
    w = detectors.Windows.ending(AS_OF)
    assert w.recent == (dt.date(2026, 2, 16), AS_OF)  # D-13 … D
    assert w.baseline == (dt.date(2026, 1, 19), dt.date(2026, 2, 15))  # D-41 … D-14
    assert w.month == (dt.date(2026, 2, 2), AS_OF)  # D-27 … D


# --- emergency and urgent -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, code",
    [
        ({"symptoms": ["speech_difficulty"]}, "emergency.stroke_signs"),
        ({"symptoms": ["facial_droop"]}, "emergency.stroke_signs"),
        ({"symptoms": ["arm_or_face_numbness"]}, "emergency.stroke_signs"),
        ({"symptoms": ["confusion"]}, "emergency.stroke_signs"),
        ({"symptoms": ["vision_problems"]}, "emergency.stroke_signs"),
        ({"symptoms": ["paralysis"]}, "emergency.stroke_signs"),
        ({"symptoms": ["loss_of_coordination"]}, "emergency.stroke_signs"),
        ({"symptoms": ["bladder_bowel_control"]}, "emergency.spinal_cord"),
        ({"where": [("right", "saddle")]}, "emergency.spinal_cord"),
        ({"symptoms": ["leg_pale_cold"]}, "emergency.blood_clot"),
        ({"symptoms": ["shortness_of_breath"]}, "emergency.breathing_or_fainting"),
        ({"symptoms": ["fainting"]}, "emergency.breathing_or_fainting"),
        ({"triggers": ["injury"]}, "urgent.injury"),
        ({"symptoms": ["leg_weakness"]}, "urgent.weakness"),
        ({"symptoms": ["difficulty_walking"]}, "urgent.weakness"),
        ({"symptoms": ["sudden_severe_pain"], "severity": 2}, "urgent.severe_pain"),
        ({"symptoms": ["leg_swollen"]}, "urgent.swollen_leg"),
    ],
)
def test_each_alarming_item_raises_its_sign_alone(fields, code):
    assert codes([ep(3, **fields)]) == {code}


@pytest.mark.parametrize(
    "fields",
    [
        {"sensations": ["pain"], "severity": 10},  # the score rates numbness, not pain
        {"where": [("left", "groin"), ("right", "groin")]},  # groin or inner thigh: not alarming alone
        {"symptoms": ["dizziness", "back_pain", "cramps", "anxiety", "rash"]},
        {"where": [("left", "buttock"), ("right", "thigh_back")]},
        {"triggers": ["sitting", "cycling"]},
    ],
)
def test_ordinary_episodes_raise_nothing(fields):
    assert codes([ep(3, **fields)]) == set()


def test_severe_pain_only_when_ticked_and_what_matched():
    hits = detectors.instant_signs(ep(0, sensations=["numbness", "pain"], symptoms=["sudden_severe_pain"], severity=1))
    assert [(s.code, m) for s, m in hits] == [("urgent.severe_pain", ["Sudden severe pain"])]


def test_instant_signs_are_ordered_most_serious_first():
    hits = detectors.instant_signs(ep(0, triggers=["injury"], symptoms=["leg_swollen", "fainting"]))
    assert [s.code for s, _ in hits] == ["emergency.breathing_or_fainting", "urgent.injury", "urgent.swollen_leg"]


def test_alarming_episodes_count_only_inside_the_recent_window():
    assert codes([ep(13, symptoms=["paralysis"])]) == {"emergency.stroke_signs"}  # D-13: first day of R
    assert codes([ep(14, symptoms=["paralysis"])]) == set()  # D-14: outside R


def test_episodes_after_the_review_date_are_ignored():
    assert codes([ep(-1, symptoms=["paralysis"])]) == set()


def test_instant_finding_says_what_matched_with_numbers():
    found = finding([ep(2, symptoms=["confusion"]), ep(1, symptoms=["speech_difficulty"])], "emergency.stroke_signs")
    assert found.detail["episodes"] == 2
    assert found.detail["matched"] == "Confusion, Slurred or difficult speech"
    assert len(found.evidence) == 2


# --- pattern.persistent -------------------------------------------------------------------------


def test_persistent_fires_on_five_distinct_days_not_four():
    four = [ep(d) for d in (0, 2, 4, 6)] + [ep(6, hour=18)]  # two on one day: still four days
    assert "pattern.persistent" not in codes(four)
    five = four + [ep(13)]
    found = finding(five, "pattern.persistent")
    assert found.detail["days"] == 5 and found.detail["why"] == ["days"]
    assert "pattern.persistent" in codes(five + [ep(9)])


def test_persistent_days_outside_the_window_do_not_count():
    assert "pattern.persistent" not in codes([ep(d) for d in (0, 2, 4, 6, 14)])


@pytest.mark.parametrize(
    "minutes, relief, fires",
    [
        (29, [], False),
        (30, [], True),
        (31, ["rest"], True),
        (30, ["changed_position"], False),
        (45, ["walking_around"], False),
        (None, [], True),  # still going: lasts until the review moment (see test_rules_v2.py)
    ],
)
def test_persistent_long_episode_not_eased_by_moving(minutes, relief, fires):
    found = finding([ep(3, duration=minutes, relieved_by=relief)], "pattern.persistent")
    assert (found is not None) == fires
    if fires:
        assert found.detail["why"] == ["long"] and found.detail["longest_minutes"] == (minutes or (3 * 24 + 12) * 60)
        # "an episode still going counts until the review" is said when one is, and only then.
        from triage.signs import explain

        [words] = explain("pattern.persistent", found.detail)
        assert ("an episode still going counts until the review" in words) is (minutes is None), words


# --- pattern.escalating -------------------------------------------------------------------------


def escalating(recent_severities, baseline_severities, recent_minutes=5, baseline_minutes=5):
    recent = [ep(i, severity=s, duration=recent_minutes) for i, s in enumerate(recent_severities)]
    baseline = [ep(14 + 3 * i, severity=s, duration=baseline_minutes) for i, s in enumerate(baseline_severities)]
    return finding(recent + baseline, "pattern.escalating")


def test_escalating_on_severity_exactly_two_points_higher():
    # 4 recent vs 5 before: the rate alone would not fire (4/14 < 2 × 5/28).
    found = escalating([5, 5, 5, 5], [3, 3, 3, 3, 3])
    assert found.detail["why"] == ["counts", "severity"]
    assert (found.detail["mean_recent"], found.detail["mean_baseline"]) == (5.0, 3.0)
    assert escalating([5, 5, 5, 4], [3, 3, 3, 3, 3]) is None  # 4.75: just below
    assert escalating([6, 5, 5, 5], [3, 3, 3, 3, 3]) is not None  # just above


def test_escalating_on_rate_exactly_double():
    assert escalating([3] * 4, [3] * 4).detail["why"] == ["counts", "rate"]  # 4/14 = 2 × 4/28
    assert escalating([3] * 4, [3] * 5) is None
    assert escalating([3] * 5, [3] * 4).detail["why"] == ["counts", "rate"]


def test_escalating_rate_words_meet_the_threshold_they_name():
    # 8 in the last 14 days against 8 in the 28 before: 0.571 and 0.286 a day, exactly 2×. Rounded alone, 0.57 is
    # less than 2 × 0.29; the sentence says the ratio the rule compared.
    from triage.signs import explain

    found = escalating([3] * 8, [3] * 8)
    words = explain("pattern.escalating", found.detail)
    assert "0.57 episodes a day now against 0.29 before: 2× as many (2× or more is the threshold)." in words
    # A flag saved before the detail had the ratio says it too, from its counts.
    older = {k: v for k, v in found.detail.items() if k != "rate_times"}
    assert explain("pattern.escalating", older) == words
    five_against_four = explain("pattern.escalating", escalating([3] * 5, [3] * 4).detail)  # 5/14 ÷ 4/28 = 2.5
    assert "0.36 episodes a day now against 0.14 before: 2.5× as many (2× or more is the threshold)." in (
        five_against_four
    )


def test_escalating_on_duration_double_and_at_least_ten_minutes():
    assert escalating([3] * 4, [3] * 5, recent_minutes=10, baseline_minutes=5).detail["why"] == ["counts", "duration"]
    assert escalating([3] * 4, [3] * 5, recent_minutes=9, baseline_minutes=5) is None  # not double
    assert escalating([3] * 4, [3] * 5, recent_minutes=8, baseline_minutes=4) is None  # double but under 10


def test_escalating_needs_four_recent_and_three_before():
    assert escalating([9, 9, 9], [1, 1, 1]) is None
    assert escalating([9, 9, 9, 9], [1, 1]) is None
    assert escalating([9, 9, 9, 9], [1, 1, 1]) is not None


# --- pattern.spreading --------------------------------------------------------------------------


def test_spreading_two_levels_higher_in_two_recent_episodes():
    before = [ep(20, where=[("left", "sole")])]  # level 2
    calf = [ep(3, where=[("left", "calf")]), ep(1, where=[("left", "toes"), ("left", "shin")])]  # level 4
    found = finding(before + calf, "pattern.spreading")
    assert (found.detail["recent_level"], found.detail["baseline_level"]) == (4, 2)
    assert found.detail["recent_region"] == "the shin or the calf"
    ankle = [ep(3, where=[("left", "ankle")]), ep(1, where=[("left", "ankle")])]  # level 3: one short
    assert finding(before + ankle, "pattern.spreading") is None


def test_spreading_names_the_places_logged_not_every_region_of_their_level():
    # The heel before; the buttock twice now (level 7, with the front of the thigh, the groin and the saddle). The
    # reason names what was marked: it said "the buttock or groin or inner thigh or between the legs / around the
    # bottom" to a patient who never marked the saddle, and "the sole or heel or top of foot" before.
    before = [ep(20, where=[("left", "heel")])]
    buttock = [ep(3, where=[("left", "buttock")]), ep(1, where=[("left", "buttock"), ("left", "calf")])]
    found = finding(before + buttock, "pattern.spreading")
    assert (found.detail["recent_region"], found.detail["baseline_region"]) == ("the buttock", "the heel")
    saddle = [ep(3, where=[("left", "saddle")]), ep(1, where=[("left", "buttock")])]
    found = finding(before + saddle, "pattern.spreading")
    assert signs.explain(found.sign.code, found.detail) == [  # "reached the between the legs", before
        "2 episodes in the last 14 days reached the buttock or between the legs / around the bottom; in the 28 days "
        "before, the highest was the heel."
    ]


def test_a_reason_saved_before_places_had_their_articles_reads_as_it_did():
    """A flag's detail is kept: one saved before reads "left toes and right toes", and its sentence keeps "the"."""
    old = {
        "why": ["levels"],
        "recent_episodes": 2,
        "recent_region": "buttock or front of thigh",
        "baseline_region": "heel",
    }
    assert signs.explain("pattern.spreading", old) == [
        "2 episodes in the last 14 days reached the buttock or front of thigh; in the 28 days before, the highest was "
        "the heel."
    ]
    climbing = {
        "why": ["climbing"],
        "window_days": 7,
        "from_region": "left toes and right toes",
        "from_started": "25 Feb 2026 09:00",
        "to_region": "between the legs / around the bottom (right side)",
        "to_started": "28 Feb 2026 18:30",
    }
    assert signs.explain("urgent.ascending", climbing) == [
        "In the last 7 days numbness on both sides went from the left toes and right toes on 25 Feb 2026 09:00 up to "
        "between the legs / around the bottom (right side) on 28 Feb 2026 18:30."
    ]


def test_spreading_needs_two_recent_episodes_at_that_level():
    before = [ep(20, where=[("left", "toes")])]
    one_high = [ep(3, where=[("left", "thigh_front")]), ep(1, where=[("left", "toes")])]
    assert finding(before + one_high, "pattern.spreading") is None
    assert finding([ep(3, where=[("left", "knee")]), ep(1, where=[("left", "knee")])], "pattern.spreading") is None


# --- pattern.bilateral --------------------------------------------------------------------------

BOTH = [("left", "sole"), ("right", "sole")]


def test_bilateral_new_in_both_legs():
    before = [ep(20), ep(25)]
    assert finding(before + [ep(1, where=BOTH), ep(2, where=BOTH)], "pattern.bilateral").detail["recent_bilateral"] == 2
    assert finding(before + [ep(1, where=BOTH)], "pattern.bilateral") is None
    assert finding([ep(20)] + [ep(1, where=BOTH), ep(2, where=BOTH)], "pattern.bilateral") is None
    assert finding([ep(20), ep(25, where=BOTH), ep(1, where=BOTH), ep(2, where=BOTH)], "pattern.bilateral") is None


# --- pattern.nocturnal --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hour, minute, triggers, counts",
    [
        (22, 0, [], True),
        (21, 59, [], False),
        (5, 59, [], True),
        (6, 0, [], False),
        (14, 0, ["lying"], True),
        (14, 0, ["sleep"], True),
    ],
)
def test_nocturnal_night_hours_and_in_bed_triggers(hour, minute, triggers, counts):
    two = [ep(1, 23, symptoms=["cramps"]), ep(2, 2, sensations=["pain"])]
    third = ep(3, hour, minute, triggers=triggers, symptoms=["sleep_disrupted"])
    assert (finding([*two, third], "pattern.nocturnal") is not None) == counts


def test_nocturnal_needs_pain_cramps_or_broken_sleep_each_time():
    two = [ep(1, 23, symptoms=["cramps"]), ep(2, 2, sensations=["pain"])]
    assert finding([*two, ep(3, 23, sensations=["numbness"])], "pattern.nocturnal") is None
    assert finding([*two, ep(3, 23, symptoms=["cramps"]), ep(4, 23)], "pattern.nocturnal").detail["episodes"] == 3


# --- pattern.exertional, radicular, known_condition (28-day window M) ---------------------------


def test_exertional_three_walking_episodes_eased_by_rest_within_28_days():
    walk: CodeSets = {"triggers": ["walking"], "relieved_by": ["rest"]}
    assert finding([ep(1, **walk), ep(10, **walk), ep(27, **walk)], "pattern.exertional").detail["episodes"] == 3
    assert finding([ep(1, **walk), ep(10, **walk), ep(28, **walk)], "pattern.exertional") is None  # D-28
    assert finding([ep(1, **walk), ep(10, **walk), ep(12, triggers=["walking"])], "pattern.exertional") is None


def test_radicular_three_one_sided_episodes_with_back_pain():
    back: CodeSets = {"symptoms": ["back_pain"]}
    left = [ep(d, where=[("left", "thigh_back")], **back) for d in (1, 8, 20)]
    assert finding(left, "pattern.radicular").detail["side"] == "left"
    mixed = left[:2] + [ep(20, where=[("right", "calf")], **back)]
    assert finding(mixed, "pattern.radicular").detail["why"] == ["side", "moved"]  # either side counts
    both = left[:2] + [ep(20, where=BOTH, **back)]
    assert finding(both, "pattern.radicular") is None
    assert finding(left[:2] + [ep(20, where=[("left", "calf")])], "pattern.radicular") is None


@pytest.mark.parametrize(
    "conditions, count, fires",
    [
        (["diabetes"], 3, True),
        (["diabetes"], 2, False),
        (["multiple_sclerosis"], 3, True),
        (["pregnancy", "thyroid"], 4, True),
        (["thyroid", "back_problems"], 5, False),
    ],
)
def test_known_condition(conditions, count, fires):
    episodes = [ep(d) for d in (1, 9, 17, 22, 25)[:count]]
    assert (finding(episodes, "pattern.known_condition", conditions) is not None) == fires
