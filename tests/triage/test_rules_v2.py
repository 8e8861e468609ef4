"""Version 2 of the rule table (DESIGN §5), each rule at, below and above its edges, without a database."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import pytest

from diary import vocab
from diary.facts import EpisodeFacts
from tests.triage.test_detectors import AS_OF, ZONE, CodeSets, codes, ep, finding
from triage import detectors, signs

BOTH = lambda region: [("left", region), ("right", region)]  # noqa: E731
MIDNIGHT = dt.datetime.combine(AS_OF + dt.timedelta(days=1), dt.time(0, 0), tzinfo=ZONE)


def instant(**fields) -> list[str]:
    return [sign.code for sign, _ in detectors.instant_signs(ep(0, **fields))]


# --- new instant rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"symptoms": ["arm_weakness"]}, ["emergency.stroke_signs"]),
        ({"symptoms": ["sudden_headache"]}, ["emergency.stroke_signs"]),
        ({"symptoms": ["urinary_retention"]}, ["emergency.spinal_cord"]),
        ({"symptoms": ["saddle_numbness"]}, ["emergency.spinal_cord"]),
        ({"where": [("left", "saddle")]}, ["emergency.spinal_cord"]),
        ({"where": [("right", "saddle")]}, ["emergency.spinal_cord"]),
        ({"symptoms": ["chest_pain"]}, ["emergency.breathing_or_fainting"]),
        ({"sensations": ["cold"], "symptoms": ["sudden_severe_pain"]}, ["emergency.blood_clot", "urgent.severe_pain"]),
        ({"symptoms": ["leg_pale_cold"]}, ["emergency.blood_clot"]),
        ({"where": BOTH("thigh_back"), "symptoms": ["back_pain"]}, ["urgent.both_legs_back_pain"]),
        ({"symptoms": ["sudden_severe_pain"]}, ["urgent.severe_pain"]),
    ],
)
def test_new_items_raise_their_sign(fields, expected):
    assert instant(**fields) == expected


@pytest.mark.parametrize(
    "fields",
    [
        {"where": [("left", "groin")]},  # groin or inner thigh alone
        {"where": BOTH("groin"), "sensations": ["tingling"], "triggers": ["cycling"]},
        {"where": [("left", "buttock"), ("right", "buttock")]},
        {"sensations": ["cold"]},  # cold without sudden severe pain
        {"sensations": ["pain", "burning"], "severity": 10},  # a high score is not severe pain
        {"where": [("left", "thigh_back")], "symptoms": ["back_pain"]},  # one leg with back pain
        {"where": BOTH("sole"), "symptoms": ["cramps", "dizziness"]},
    ],
)
def test_not_alarming(fields):
    assert instant(**fields) == []


def test_saddle_and_groin_are_level_seven():
    from diary import vocab

    assert vocab.REGIONS["saddle"].level == vocab.REGIONS["groin"].level == vocab.REGIONS["buttock"].level == 7


# --- precedence: the spinal-cord emergency outranks urgent weakness and both-legs back pain ---------


@pytest.mark.parametrize(
    "fields, expected",
    [
        ({"where": BOTH("calf"), "symptoms": ["leg_weakness"]}, ["emergency.spinal_cord"]),
        ({"where": BOTH("calf"), "symptoms": ["difficulty_walking"]}, ["emergency.spinal_cord"]),
        ({"where": BOTH("calf"), "symptoms": ["paralysis"]}, ["emergency.stroke_signs", "emergency.spinal_cord"]),
        ({"where": [("left", "calf")], "symptoms": ["leg_weakness"]}, ["urgent.weakness"]),
        ({"where": [("left", "calf")], "symptoms": ["paralysis"]}, ["emergency.stroke_signs"]),
        (
            {"where": [("left", "calf")], "symptoms": ["leg_weakness", "bladder_bowel_control"]},
            ["emergency.spinal_cord"],
        ),
        (
            {"where": [("left", "calf"), ("left", "saddle")], "symptoms": ["difficulty_walking"]},
            ["emergency.spinal_cord"],
        ),
        ({"where": BOTH("thigh_back"), "symptoms": ["back_pain", "urinary_retention"]}, ["emergency.spinal_cord"]),
        ({"where": BOTH("saddle"), "symptoms": ["back_pain"]}, ["emergency.spinal_cord"]),
        (
            {"where": BOTH("thigh_back"), "symptoms": ["back_pain", "leg_weakness"]},
            ["emergency.spinal_cord"],
        ),
        (
            {"where": [("left", "shin")], "symptoms": ["leg_weakness"], "triggers": ["injury"]},
            ["urgent.injury", "urgent.weakness"],
        ),
    ],
)
def test_precedence_per_episode(fields, expected):
    assert instant(**fields) == expected


def test_precedence_is_decided_per_episode_in_the_review():
    both_weak = ep(2, where=BOTH("calf"), symptoms=["leg_weakness"])
    one_weak = ep(1, where=[("left", "calf")], symptoms=["leg_weakness"])
    assert finding([both_weak, one_weak], "urgent.weakness").evidence == (one_weak.id,)
    assert finding([both_weak, one_weak], "emergency.spinal_cord").evidence == (both_weak.id,)
    assert finding([both_weak], "urgent.weakness") is None


def test_what_matched_says_both_legs():
    found = finding([ep(1, where=BOTH("calf"), symptoms=["leg_weakness"])], "emergency.spinal_cord")
    assert found.detail["matched"] == "Leg or legs weak (both legs)"
    found = finding([ep(1, sensations=["cold"], symptoms=["sudden_severe_pain"])], "emergency.blood_clot")
    assert found.detail["matched"] == "Cold with sudden severe pain"


# --- late entry of stroke signs --------------------------------------------------------------------


@pytest.mark.parametrize(
    "after, late",
    [
        (dt.timedelta(hours=23, minutes=59), False),
        (dt.timedelta(hours=24), False),  # "more than 24 hours"
        (dt.timedelta(hours=24, minutes=1), True),
        (dt.timedelta(days=30), True),
    ],
)
def test_late_entry_edge(after, late):
    started = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    stroke = signs.CATALOGUE["emergency.stroke_signs"]
    assert detectors.is_late_entry(stroke, started, started + after) == late
    # Only stroke signs have a late-entry screen.
    assert not detectors.is_late_entry(signs.CATALOGUE["emergency.spinal_cord"], started, started + after)


# --- urgent.ascending over W -------------------------------------------------------------------


@pytest.mark.parametrize(
    "earlier_days_ago, fires",
    [(6, True), (7, False)],  # W = D-6 … D
)
def test_ascending_window_edge(earlier_days_ago, fires):
    episodes = [ep(earlier_days_ago, where=BOTH("sole")), ep(0, where=BOTH("shin"))]  # level 2 → 4
    assert ("urgent.ascending" in codes(episodes)) == fires


@pytest.mark.parametrize(
    "earlier, later, fires",
    [
        ("sole", "ankle", False),  # +1
        ("sole", "shin", True),  # +2
        ("sole", "knee", True),  # +3
        ("shin", "sole", False),  # going down
        ("knee", "saddle", True),  # 5 → 7
    ],
)
def test_ascending_needs_two_levels(earlier, later, fires):
    assert (finding([ep(4, where=BOTH(earlier)), ep(1, where=BOTH(later))], "urgent.ascending") is not None) == fires


def test_ascending_needs_both_legs_in_both_episodes_and_a_later_start():
    assert finding([ep(4, where=[("left", "sole")]), ep(1, where=BOTH("knee"))], "urgent.ascending") is None
    assert (
        finding([ep(4, where=BOTH("sole")), ep(1, where=[("left", "knee"), ("left", "sole")])], "urgent.ascending")
        is None
    )
    same_time = [ep(2, 9, where=BOTH("sole")), ep(2, 9, where=BOTH("knee"))]
    assert finding(same_time, "urgent.ascending") is None
    found = finding(
        [ep(5, where=BOTH("toes")), ep(3, where=BOTH("ankle")), ep(1, where=BOTH("knee"))], "urgent.ascending"
    )
    assert (found.detail["from_level"], found.detail["to_level"], len(found.evidence)) == (1, 5, 3)
    assert found.sign.level == signs.URGENT and not found.sign.per_episode


def test_ascending_names_the_places_logged_at_the_top_of_each_episode():
    # Worked out by hand: toes on both feet (level 1), then the left front of the thigh (6) with the right side of
    # the saddle (7): the reason names the places the patient tapped at each episode's top, not every region of
    # that level (the saddle, not "buttock or groin or inner thigh or saddle").
    found = finding(
        [ep(4, 9, where=BOTH("toes")), ep(1, 18, 30, where=[("left", "thigh_front"), ("right", "saddle")])],
        "urgent.ascending",
    )
    saddle = vocab.place_label("right", "saddle").lower()
    assert found.detail["from_region"] == "the left toes and the right toes"
    assert found.detail["to_region"] == saddle  # part of neither leg: no "the" (it read "up to the between the legs")
    assert found.sign.reasons["climbing"].format(**found.detail, number="112") == (
        "In the last 7 days numbness on both sides went from the left toes and the right toes on 25 Feb 2026 09:00 "
        "up to between the legs / around the bottom (right side) on 28 Feb 2026 18:30."
    )
    thigh = finding(
        [ep(4, 9, where=BOTH("toes")), ep(1, 18, 30, where=[("left", "thigh_front"), ("right", "knee")])],
        "urgent.ascending",
    )
    assert thigh.detail["to_region"] == "the left front of thigh"


def test_ascending_is_not_checked_on_a_single_saved_episode():
    assert "urgent.ascending" not in instant(where=BOTH("thigh_front"))


# --- positional episodes and the five days of pattern.persistent -------------------------------

POSITIONAL: CodeSets = {"triggers": ["crossed_legs"], "relieved_by": ["changed_position"]}


@pytest.mark.parametrize("minutes, fires", [(15, False), (16, True)])
def test_a_positional_episode_is_left_out_of_the_day_count(minutes, fires):
    four_days = [ep(d, duration=5) for d in (1, 3, 5, 7)]
    fifth = ep(9, duration=minutes, **POSITIONAL)
    assert ("pattern.persistent" in codes([*four_days, fifth])) == fires


@pytest.mark.parametrize(
    "fields, positional",
    [
        ({"triggers": ["sitting"], "relieved_by": ["walking_around"]}, True),
        ({"triggers": ["lying"], "relieved_by": ["changed_position"]}, True),
        ({"triggers": ["standing"], "relieved_by": ["changed_position"]}, False),  # not a position trigger
        ({"triggers": ["sitting"], "relieved_by": ["rest"]}, False),  # not eased by moving
        ({"triggers": ["sitting"]}, False),
    ],
)
def test_what_makes_an_episode_positional(fields, positional):
    assert detectors.is_positional(ep(1, duration=3, **fields), MIDNIGHT) == positional


def test_positional_spells_every_day_raise_nothing():
    assert codes([ep(d, duration=10, **POSITIONAL) for d in range(14)]) == set()


# --- ongoing episodes last until the review moment ------------------------------------------------


def ongoing(
    minutes_before: int,
    moment: dt.datetime = MIDNIGHT,
    *,
    triggers: Iterable[str] = (),
    relieved_by: Iterable[str] = (),
) -> EpisodeFacts:
    return EpisodeFacts(
        id=f"o{minutes_before}",
        start=moment - dt.timedelta(minutes=minutes_before),
        duration_minutes=None,
        severity=3,
        locations=frozenset({("left", "shin")}),
        triggers=frozenset(triggers),
        relieved_by=frozenset(relieved_by),
    )


@pytest.mark.parametrize("minutes_before, fires", [(29, False), (30, True), (31, True)])
def test_ongoing_episode_counts_until_the_end_of_the_review_day(minutes_before, fires):
    assert (finding([ongoing(minutes_before)], "pattern.persistent") is not None) == fires


@pytest.mark.parametrize("minutes_before, fires", [(29, False), (31, True)])
def test_ongoing_episode_counts_until_now_when_reviewing_today(minutes_before, fires):
    now = dt.datetime.combine(AS_OF, dt.time(15, 0), tzinfo=ZONE)
    moment = detectors.review_moment(AS_OF, ZONE, now)
    assert moment == now
    found = {f.code for f in detectors.review([ongoing(minutes_before, now)], AS_OF, moment=moment)}
    assert ("pattern.persistent" in found) == fires


def test_review_moment_of_an_earlier_day_is_its_local_midnight():
    now = dt.datetime(2026, 3, 5, 10, tzinfo=dt.UTC)
    assert detectors.review_moment(AS_OF, ZONE, now) == MIDNIGHT
    assert detectors.review_moment(AS_OF, ZONE) == MIDNIGHT


def test_an_ongoing_episode_eased_by_moving_is_not_long_and_a_short_one_is_positional():
    assert finding([ongoing(45, relieved_by=["changed_position"])], "pattern.persistent") is None
    short = ongoing(15, triggers=["sitting"], relieved_by=["changed_position"])
    assert detectors.is_positional(short, MIDNIGHT)
    assert not detectors.is_positional(ongoing(16, triggers=["sitting"], relieved_by=["changed_position"]), MIDNIGHT)


def test_ongoing_episodes_do_not_enter_the_median_duration():
    recent = [ep(d, duration=10) for d in (1, 2, 3)] + [ep(4, duration=None)]
    baseline = [ep(14 + d, duration=5) for d in (1, 2, 3, 4, 5)]
    found = finding(recent + baseline, "pattern.escalating")
    assert found.detail["median_recent"] == 10 and "duration" in found.detail["why"]


# --- exact fractions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "recent_minutes, fires",
    [
        ([11, 11, 10, 12], True),  # median 11 = 2 × 5.5
        ([10, 11, 10, 11], False),  # median 10.5 < 11
    ],
)
def test_median_duration_is_compared_exactly(recent_minutes, fires):
    recent = [ep(i, duration=m) for i, m in enumerate(recent_minutes)]
    baseline = [ep(14 + 3 * i, duration=m) for i, m in enumerate([5, 6, 5, 6, 5, 6])]  # median 5.5; rate 4/14 < 12/28
    found = finding(recent + baseline, "pattern.escalating")
    assert (found is not None and "duration" in found.detail["why"]) == fires


@pytest.mark.parametrize("recent, fires", [([5, 5, 5, 6], False), ([5, 5, 6, 6], True), ([5, 6, 6, 6], True)])
def test_mean_severity_in_thirds(recent, fires):
    # Baseline mean 10/3; the threshold is 16/3 = 5.33…
    episodes = [ep(i, severity=s) for i, s in enumerate(recent)] + [
        ep(14 + 5 * i, severity=s) for i, s in enumerate([3, 3, 4])
    ]
    found = finding(episodes, "pattern.escalating")
    assert (found is not None and "severity" in found.detail["why"]) == fires


# --- radicular on either side ------------------------------------------------------------------

BACK: CodeSets = {"symptoms": ["back_pain"]}


def test_radicular_counts_either_side_and_says_it_moved():
    swapping = [
        ep(20, where=[("left", "calf")], **BACK),
        ep(10, where=[("right", "calf")], **BACK),
        ep(2, where=[("left", "thigh_back")], **BACK),
    ]
    found = finding(swapping, "pattern.radicular")
    assert found.detail["why"] == ["side", "moved"] and (found.detail["left"], found.detail["right"]) == (2, 1)
    message = signs.patient_message("pattern.radicular", "112", found.detail)
    assert message.startswith("Book an appointment") and "moved between your legs" in message
    assert "moved between legs: 2 of them in the left leg, 1 in the right" in " ".join(
        signs.explain(found.code, found.detail)
    )

    one_side = [ep(d, where=[("right", "calf")], **BACK) for d in (20, 10, 2)]
    found = finding(one_side, "pattern.radicular")
    assert found.detail["why"] == ["side"]
    assert "moved" not in signs.patient_message("pattern.radicular", "112", found.detail)


@pytest.mark.parametrize("oldest, fires", [(27, True), (28, False)])
def test_radicular_month_edge(oldest, fires):
    episodes = [
        ep(oldest, where=[("left", "calf")], **BACK),
        ep(5, where=[("right", "calf")], **BACK),
        ep(1, where=[("right", "calf")], **BACK),
    ]
    assert (finding(episodes, "pattern.radicular") is not None) == fires


# --- the catalogue -----------------------------------------------------------------------------


def test_emergency_messages_put_the_action_first():
    for sign in signs.CATALOGUE.values():
        message = signs.patient_message(sign.code, "999")
        if sign.level == signs.EMERGENCY:
            assert message.startswith("Call 999 now"), sign.code
        elif sign.level == signs.URGENT:
            assert message.startswith("See a doctor today"), sign.code
    late = signs.late_entry_message("emergency.stroke_signs", "999")
    assert late.startswith("See a doctor today") and "call 999" in late


def test_no_sentence_restates_a_window_length():
    """The windows are formatted in from signs.RECENT_DAYS and its kin, so changing one changes every sentence."""
    for sign in signs.CATALOGUE.values():
        for text in (sign.message, *sign.reasons.values(), *sign.extra.values()):
            assert not re.search(r"\d+ (days|weeks)|two weeks|four weeks", text), (sign.code, text)
    detail = {"why": ["counts"], "recent": 5, "baseline": 1}
    assert signs.explain("pattern.escalating", detail) == [
        f"5 episodes in the last {signs.RECENT_DAYS} days, 1 in the {signs.BASELINE_DAYS} days before."
    ]


def test_every_source_has_a_title_and_the_public_pages_a_publisher_and_an_address():
    cited = {i for sign in signs.CATALOGUE.values() for i in sign.sources}
    assert cited == set(signs.SOURCES)
    seeds = {"000", "001", "002", "003", "004"}
    assert {s.id for s in signs.SOURCES.values() if s.background} == seeds
    for source in signs.SOURCES.values():
        assert source.title and source.publisher_words
        assert "source 0" not in source.citation and "web article" != source.publisher
        if not source.background:
            # https, but for NHS 111 Wales's GBS page, cited at the address the research saw.
            assert source.publisher and source.url.startswith(("https://", "http://111.wales.nhs.uk/"))
    assert signs.SOURCES["001"].citation == "Numbness in the legs (medically reviewed 2025) (iLive)"
    assert signs.SOURCES["002"].citation.endswith("(web article, publisher not named)")


def test_every_sign_cites_a_public_page_first_and_the_seed_articles_after_as_background_reading():
    for sign in signs.CATALOGUE.values():
        listed = sign.source_list
        assert listed and not listed[0].background, sign.code
        assert listed == sign.authorities + sign.background_reading
        assert [s.id for s in listed] == list(sign.sources), sign.code  # written in the order it is shown
    red_flags = [s for s in signs.CATALOGUE.values() if s.instant]
    assert all(sign.authorities for sign in red_flags)
    stroke, spine = signs.CATALOGUE["emergency.stroke_signs"], signs.CATALOGUE["emergency.spinal_cord"]
    assert {s.publisher for s in stroke.authorities} == {"NHS", "healthdirect Australia"}
    assert {s.publisher for s in spine.authorities} == {"NHS", "healthdirect Australia"}


def test_every_alarm_symptom_is_in_exactly_one_group():
    from diary import vocab

    grouped = [code for _, codes_ in vocab.ALARM_GROUPS for code in codes_]
    assert sorted(grouped) == sorted(code for code, term in vocab.SYMPTOMS.items() if term.alarm)
    assert len(grouped) == len(set(grouped))
    assert [title for title, _ in vocab.ALARM_GROUPS] == [
        "Signs of a stroke",
        "Back and bladder",
        "Circulation and breathing",
    ]
