"""The while-taking comparison at its edges (DESIGN §8), without a database: logged days only, the settling days,
14 logged days on each side, the rate ratio and its exact interval, other changes named, the as-needed summary."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal

import pytest

from diary.facts import EpisodeFacts
from treatments import comparison, timeline, vocab
from treatments.comparison import BEFORE_DAYS, MIN_LOGGED_DAYS, SETTLING_DAYS, Diary
from treatments.facts import CourseFacts, DoseFacts, TreatmentFacts

ZONE = zoneinfo.ZoneInfo("Europe/London")
START = dt.date(2026, 3, 2)  # the course starts here
TODAY = dt.date(2026, 6, 1)
_ids = itertools.count()


def episode(day: dt.date, severity: int = 4, minutes: int | None = 10) -> EpisodeFacts:
    start = dt.datetime.combine(day, dt.time(12), tzinfo=ZONE)
    return EpisodeFacts(str(next(_ids)), start, minutes, severity, frozenset({("left", "sole")}))


def days(first: dt.date, count: int, step: int = 1) -> list[dt.date]:
    return [first + dt.timedelta(days=i * step) for i in range(count)]


def course(started: dt.date, stopped: dt.date | None = None, amount: str = "75", times: int = 2) -> CourseFacts:
    return CourseFacts(started, stopped, Decimal(amount), "mg", times)


def treatment(*courses: CourseFacts, name: str = "Pregabalin", tid: str = "t1", schedule: str = vocab.REGULAR):
    return TreatmentFacts(tid, name, vocab.MEDICATION, "pregabalin", schedule, tuple(courses))


def diary(episodes: Iterable[EpisodeFacts] = (), quiet: Iterable[dt.date] = ()) -> Diary:
    """Episodes, and days logged as "no numbness" (a check-in)."""
    return Diary.of(list(episodes), quiet)


def compare(d: Diary, t: TreatmentFacts | None = None, today: dt.date = TODAY, changes=()) -> comparison.Comparison:
    t = t or treatment(course(START))
    return comparison.compare_course(t, t.courses[-1], today=today, diary=d, changes=list(changes))


BEFORE_FIRST = START - dt.timedelta(days=BEFORE_DAYS)
SETTLED = START + dt.timedelta(days=SETTLING_DAYS)


def test_only_logged_days_count_and_episodes_are_per_logged_day():
    # Before: 20 logged days with an episode each and 10 quiet check-ins, scattered over 56 days; while: 30
    # logged days, 6 of them with an episode. Unlogged days count in neither.
    before = days(BEFORE_FIRST, 20, step=2)
    quiet_before = days(BEFORE_FIRST + dt.timedelta(days=41), 10)
    while_days = days(SETTLED, 30, step=2)
    d = diary([episode(x) for x in before] + [episode(x, 2) for x in while_days[:6]], quiet_before + while_days[6:])
    c = compare(d)
    assert (c.before.logged_days, c.before.episodes) == (30, 20)
    assert (c.during.logged_days, c.during.episodes) == (30, 6)
    assert c.before.per_day == pytest.approx(20 / 30) and c.during.per_day == pytest.approx(6 / 30)
    assert c.enough and c.rate_ratio == pytest.approx(0.3)
    assert (c.before.median_severity, c.during.median_severity) == (4, 2)


def test_the_settling_days_and_days_outside_the_windows_are_left_out():
    inside = days(BEFORE_FIRST, 14) + days(SETTLED, 14)
    outside = [
        BEFORE_FIRST - dt.timedelta(days=1),  # 57 days before the start
        START,  # the first settling day
        SETTLED - dt.timedelta(days=1),  # the last settling day
        TODAY + dt.timedelta(days=1),
    ]
    d = diary([episode(x) for x in inside + outside])
    c = compare(d)
    assert (c.before.first, c.before.last) == (BEFORE_FIRST, START - dt.timedelta(days=1))
    assert (c.during.first, c.during.last) == (SETTLED, TODAY)
    assert (c.before.episodes, c.during.episodes) == (14, 14)


@pytest.mark.parametrize("before_days, while_days, enough", [(14, 14, True), (13, 14, False), (14, 13, False)])
def test_each_window_needs_fourteen_logged_days(before_days, while_days, enough):
    d = diary(quiet=days(BEFORE_FIRST, before_days) + days(SETTLED, while_days))
    c = compare(d)
    assert c.enough is enough
    words = comparison.sentences(c)
    if enough:
        assert not any("Not enough" in w for w in words)
    elif before_days < MIN_LOGGED_DAYS:
        assert words[0] == "Not enough entries before it started to compare (13 of 14 days)."
        assert (c.rate_ratio, c.rate_ratio_95) == (None, (None, None))
    else:
        assert words[0] == "Not enough entries yet to compare (13 of 14 days)."


def test_a_course_still_settling_says_when_the_count_starts():
    d = diary(quiet=days(BEFORE_FIRST, 56))
    c = compare(d, today=START + dt.timedelta(days=5))
    assert c.during.logged_days == 0 and c.during.first > c.during.last
    assert comparison.sentences(c) == [
        "Not enough entries yet to compare (0 of 14 days).",
        "The first 14 days after starting are left out while it settles in: the count starts on 16 Mar 2026.",
    ]


def test_a_course_stopped_early_is_not_said_to_fill_up_later():
    # Started 2 Mar, last taken 21 Mar (stopped on the 22nd): 6 days counted from 16 Mar, and no more will come.
    d = diary(quiet=days(BEFORE_FIRST, 56) + days(SETTLED, 10))
    c = compare(d, t=treatment(course(START, START + dt.timedelta(days=20))))
    assert (c.during.first, c.during.last, c.during.logged_days) == (SETTLED, START + dt.timedelta(days=19), 6)
    assert comparison.sentences(c) == ["Not enough entries while taking it to compare (6 of 14 days)."]
    # Stopped on its tenth day, inside the settling days: no day is counted, and none will be.
    c = compare(d, t=treatment(course(START, START + dt.timedelta(days=10))))
    assert comparison.sentences(c) == [
        "Not enough entries while taking it to compare (0 of 14 days).",
        "The first 14 days after starting are left out while it settles in, and it was stopped within them: no day "
        "while taking it is counted.",
    ]


def test_a_stopped_course_ends_on_its_last_day():
    stopped = SETTLED + dt.timedelta(days=20)  # the first day without it
    t = treatment(course(START, stopped))
    d = diary([episode(x) for x in days(SETTLED, 40)])
    c = compare(d, t)
    assert c.during.last == stopped - dt.timedelta(days=1)
    assert c.during.episodes == c.during.logged_days == 20


# Rate ratios and their exact 95 % intervals: SciPy 1.17.1, scipy.stats.binomtest(a, a + b).proportion_ci(0.95,
# method="exact") for p, then RR = p / (1 - p) · T_before / T_while (the same as R's poisson.test).
SCIPY = [
    # (while episodes, while days, before episodes, before days, ratio, low, high)
    (12, 30, 40, 36, 0.36, 0.17192420078582846, 0.6999450062808965),
    (3, 14, 3, 14, 1.0, 0.1339375881777302, 7.466164006724067),
    (300, 700, 170, 56, 0.1411764705882353, 0.116575371999581, 0.1714235745544908),
    (0, 20, 15, 28, 0.0, 0.0, 0.3903256551603349),
    (25, 25, 0, 30, None, 7.5473010866290915, None),
]


@pytest.mark.parametrize("a, ta, b, tb, ratio, low, high", SCIPY)
def test_the_rate_ratio_and_its_exact_interval_match_scipy(a, ta, b, tb, ratio, low, high):
    found, (found_low, found_high) = comparison.rate_ratio(a, ta, b, tb)
    assert found == (pytest.approx(ratio) if ratio is not None else None)
    assert found_low == pytest.approx(low, rel=1e-9)
    assert found_high == (pytest.approx(high, rel=1e-9) if high is not None else None)


def test_with_no_episode_while_taking_the_upper_limit_is_worked_out_by_hand():
    # 0 of n = 15 episodes in the while window: p's upper limit is 1 − 0.025^(1/15) in closed form.
    p = 1 - 0.025 ** (1 / 15)
    assert comparison.rate_ratio(0, 20, 15, 28)[1][1] == pytest.approx(p / (1 - p) * 28 / 20, rel=1e-9)


@pytest.mark.parametrize("k, n", [(0, 7), (3, 10), (10, 10), (17, 40), (1, 60)])
def test_clopper_pearson_limits_meet_the_binomial_tails(k, n):
    """At the lower limit P(X ≥ k) = 2.5 %, at the upper P(X ≤ k) = 2.5 %: the interval's definition, summed exactly."""

    def pmf(i: int, p: float) -> float:
        return float(math.comb(n, i) * p**i * (1 - p) ** (n - i))

    low, high = comparison.clopper_pearson(k, n)
    if k:
        assert sum(pmf(i, low) for i in range(k, n + 1)) == pytest.approx(0.025, rel=1e-8)
    else:
        assert low == 0
    if k < n:
        assert sum(pmf(i, high) for i in range(k + 1)) == pytest.approx(0.025, rel=1e-8)
    else:
        assert high == 1


def test_no_episodes_on_either_side_gives_no_ratio_and_says_so():
    d = diary(quiet=days(BEFORE_FIRST, 20) + days(SETTLED, 20))
    c = compare(d)
    assert c.enough and c.rate_ratio is None and c.rate_ratio_95 == (None, None)
    assert "No episodes before it started nor while taking it." in comparison.sentences(c)
    # After a change of dose the days before were days on the old dose, not before it started.
    change = START + dt.timedelta(days=60)
    t = treatment(course(START, change), course(change, amount="150"))
    d = diary(quiet=days(change - dt.timedelta(days=20), 20) + days(change + dt.timedelta(days=SETTLING_DAYS), 20))
    c = comparison.compare_treatment(t, today=TODAY, diary=d, changes=timeline.changes([t]))[-1]
    assert c.enough and "No episodes before this dose (on 75 mg twice a day) nor while taking it." in (
        comparison.sentences(c)
    )


def test_the_words_say_while_taking_and_never_because_of():
    before = days(BEFORE_FIRST, 36)
    during = [episode(x, 4, 15) for x in days(SETTLED, 12)]
    d = diary([episode(x, 6, 20) for x in before + before[:4]] + during, days(SETTLED + dt.timedelta(days=12), 18))
    c = compare(d)
    assert (c.during.episodes, c.during.logged_days, c.before.episodes, c.before.logged_days) == (12, 30, 40, 36)
    words = comparison.sentences(c)
    assert words[0] == (
        "While taking Pregabalin 75 mg twice a day (from 16 Mar 2026, 14 days after starting): 0.40 episodes a "
        "logged day (12 on 30 logged days), median severity 4/10, median duration 15 min."
    )
    assert words[1] == (
        "In the 8 weeks before it started (5 Jan – 1 Mar 2026): 1.11 episodes a logged day (40 on 36 logged days), "
        "median severity 6/10, median duration 20 min."
    )
    assert words[2] == (
        "Fewer episodes a logged day while taking it: 0.40, against 1.11 before (ratio while ÷ before 0.36, "
        "95 % interval 0.17 to 0.70)."
    )
    assert words[-1] == (
        "This compares days while taking Pregabalin with days before; it does not show that Pregabalin caused the "
        "difference."
    )
    assert not any("because" in w.lower() for w in words)


def test_a_diary_begun_inside_the_eight_weeks_is_compared_over_the_days_it_has_and_says_so():
    """The diary began 20 days before the course (10 Feb 2026; START is 2 Mar): the words say "20 days", with the
    dates, never "8 weeks" for 18 logged days."""
    began = START - dt.timedelta(days=20)
    before = days(began, 18)
    d = diary([episode(x, 5, 10) for x in before[:13]] + [episode(x) for x in days(SETTLED, 20)], before[13:])
    c = compare(d)
    assert (c.before.logged_days, c.before.first_logged, c.enough) == (18, began, True)
    assert comparison.before_span(c) == "20 days"
    assert comparison.window_titles(c) == ("20 days before", "While taking, from 16 Mar 2026")
    assert comparison.sentences(c)[1] == (
        "In the 20 days before it started (10 Feb – 1 Mar 2026): 0.72 episodes a logged day (13 on 18 logged days), "
        "median severity 5/10, median duration 10 min."
    )
    # With no episode before, the reason there is no ratio names the same span.
    quiet = compare(diary([episode(x) for x in days(SETTLED, 20)], before))
    assert comparison.ratio_words(quiet) == "No episodes in the 20 days before, so no ratio: 20 while taking it."
    # Entries from the window's first day on: "8 weeks".
    assert comparison.before_span(compare(diary(quiet=days(BEFORE_FIRST, 30) + days(SETTLED, 20)))) == "8 weeks"


def test_an_interval_across_one_is_no_clear_difference_and_a_half_median_is_a_range():
    d = diary(
        [episode(x, s) for x, s in zip(days(BEFORE_FIRST, 4), (5, 5, 6, 6), strict=True)]
        + [episode(x) for x in days(SETTLED, 3)],
        days(BEFORE_FIRST + dt.timedelta(days=4), 10) + days(SETTLED + dt.timedelta(days=3), 11),
    )
    c = compare(d)
    words = comparison.sentences(c)
    assert "median severity 5–6/10" in words[1]
    assert words[2].startswith("No clear difference in episodes a logged day: 0.21 while taking it, 0.29 before (")
    assert words[2].endswith(", which includes 1).")


def test_more_episodes_while_taking_it_leads_with_the_reading_then_the_rates():
    before = days(BEFORE_FIRST, 36)
    c = compare(diary([episode(x) for x in before[:6] + days(SETTLED, 30)], before[6:]))
    assert (c.before.episodes, c.before.logged_days, c.during.episodes, c.during.logged_days) == (6, 36, 30, 30)
    words = comparison.ratio_words(c)
    assert words.startswith(
        "More episodes a logged day while taking it: 1.00, against 0.17 before (ratio while ÷ before 6.00, 95 % "
        "interval "
    )
    assert "which includes 1" not in words


def test_other_treatments_changed_inside_either_window_are_named():
    t = treatment(course(START))
    b12 = TreatmentFacts("t2", "Vitamin B12", vocab.SUPPLEMENT, "vitamin_b12", vocab.REGULAR,
                         (CourseFacts(START - dt.timedelta(days=10), None, Decimal(1000), "mcg", 1),))  # fmt: skip
    ibuprofen = TreatmentFacts("t3", "Ibuprofen", vocab.MEDICATION, "ibuprofen", vocab.AS_NEEDED,
                               (CourseFacts(BEFORE_FIRST - dt.timedelta(days=30), SETTLED + dt.timedelta(days=5),
                                            Decimal(400), "mg", None, "did_not_help"),))  # fmt: skip
    early = TreatmentFacts("t4", "Insoles", vocab.DEVICE, "insoles", vocab.REGULAR,
                           (CourseFacts(BEFORE_FIRST - dt.timedelta(days=1), None, None, "", None),))  # fmt: skip
    changes = timeline.changes([t, b12, ibuprofen, early])
    c = compare(diary(), t, changes=changes)
    assert [(w.window, w.change.name, w.change.what) for w in c.other_changes] == [
        ("before", "Vitamin B12", "started"),
        ("while", "Ibuprofen", "stopped"),
    ]
    assert comparison.sentences(c)[-1] == (
        "Other treatments changed in these weeks: Vitamin B12 started (1000 mcg once a day) on 20 Feb 2026 (before); "
        "Ibuprofen stopped (it didn't help) on 21 Mar 2026 (while)."
    )


def test_a_change_of_dose_is_compared_with_the_weeks_before_it():
    change = START + dt.timedelta(days=40)
    t = treatment(course(START, change), course(change, amount="150"))
    assert [c.what for c in timeline.changes([t])] == ["started", "changed"]
    d = diary(quiet=days(change - dt.timedelta(days=20), 10))
    c = comparison.compare_treatment(t, today=TODAY, diary=d, changes=timeline.changes([t]))[-1]
    assert c.before_dose == "75 mg twice a day" and c.dose == "150 mg twice a day"
    assert comparison.sentences(c)[0] == (
        "Not enough entries before this dose (on 75 mg twice a day) to compare (10 of 14 days)."
    )


def test_missed_days_among_the_days_counted_while_taking_it_are_said():
    # Missed the day before the count starts, on its first day and three days later; the diary has entries on the
    # first two days of the count and on the fifth: of the days counted, one had a missed dose (the day before is
    # settling, the third day after has no entry and is not counted).
    t = treatment(course(START))
    missed = [SETTLED - dt.timedelta(days=1), SETTLED, SETTLED + dt.timedelta(days=3)]
    doses = [DoseFacts(str(i), "t1", dt.datetime.combine(x, dt.time(12), tzinfo=ZONE), vocab.MISSED, None, None, "")
             for i, x in enumerate(missed)]  # fmt: skip
    logged = diary(
        quiet=[SETTLED - dt.timedelta(days=1), SETTLED, SETTLED + dt.timedelta(days=1), SETTLED + dt.timedelta(days=5)]
    )
    (c,) = comparison.compare_treatment(t, today=TODAY, diary=logged, changes=[], doses=doses)
    assert (c.during.logged_days, c.missed_days) == (3, 1)
    assert "Missed on 1 of the days counted while taking it." in comparison.sentences(c)


def test_a_treatment_taken_as_needed_has_no_comparison_but_a_summary_of_its_uses():
    t = treatment(course(START), name="Ibuprofen", schedule=vocab.AS_NEEDED)
    at = dt.datetime.combine(SETTLED, dt.time(9), tzinfo=ZONE)
    doses = [
        DoseFacts("1", "t1", at, vocab.TAKEN, None, "e1", vocab.HELPED_A_LOT),
        DoseFacts("2", "t1", at, vocab.TAKEN, None, None, vocab.HELPED_A_LITTLE),
        DoseFacts("3", "t1", at, vocab.TAKEN, None, "e2", vocab.NO_HELP),
        DoseFacts("4", "t1", at, vocab.TAKEN, None, None, ""),
        DoseFacts("5", "other", at, vocab.TAKEN, None, None, vocab.HELPED_A_LOT),
    ]
    assert comparison.compare_treatment(t, today=TODAY, diary=diary(), changes=[]) == []
    summary = comparison.uses(t, doses)
    assert (summary.taken, summary.rated, summary.helped, summary.for_an_episode) == (4, 3, 2, 2)
    assert summary.words == (
        "Taken 4 times (2 for a logged episode); 3 rated: helped 2 (a lot 1, a little 1), didn't help 1"
    )
    assert comparison.uses(t, []).words == "Not taken"


def test_after_a_change_of_dose_the_days_before_are_days_on_the_settled_old_dose():
    # 75 mg from 2 Mar, 150 mg from 1 May; an entry every day from 1 Jan. The 8 weeks before 1 May reach back to
    # 6 Mar, when 75 mg had not settled in (and a course started a week after the diary began would reach before
    # it): the days before are 16 Mar (2 Mar + 14) to 30 Apr, 46 days, all on 75 mg.
    change = dt.date(2026, 5, 1)
    t = treatment(course(START, change), course(change, amount="150"))
    d = diary(quiet=days(dt.date(2026, 1, 1), 151))
    c = comparison.compare_treatment(t, today=TODAY, diary=d, changes=timeline.changes([t]))[-1]
    assert (c.before.first, c.before.last, c.before.logged_days) == (SETTLED, dt.date(2026, 4, 30), 46)
    assert c.enough and comparison.sentences(c)[1] == (
        "In the 46 days before this dose (on 75 mg twice a day) (16 Mar – 30 Apr 2026): 0.00 episodes a logged day "
        "(0 on 46 logged days)."
    )


def test_a_course_that_starts_it_again_compares_with_the_days_without_it():
    # Taken 2 Mar – 31 Mar (stopped on 1 Apr), again from 20 Apr: the days before are 1–19 Apr, off it, not the
    # 8 weeks back to 23 Feb that held the first course; and it "started again".
    again = dt.date(2026, 4, 20)
    t = treatment(course(START, dt.date(2026, 4, 1)), course(again))
    d = diary(quiet=days(dt.date(2026, 1, 1), 151))
    c = comparison.compare_treatment(t, today=TODAY, diary=d, changes=timeline.changes([t]))[-1]
    assert (c.before.first, c.before.last, c.before_dose, c.again) == (
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 19),
        "",
        True,
    )
    assert comparison.sentences(c)[1].startswith("In the 19 days before it started again (1–19 Apr 2026): ")
    first = comparison.compare_treatment(t, today=TODAY, diary=d, changes=timeline.changes([t]))[0]
    assert not first.again and comparison.sentences(first)[1].startswith("In the 8 weeks before it started (")


def test_another_treatment_started_in_the_settling_days_is_named():
    """Pregabalin from 2 Mar (counted from 16 Mar); Vitamin B12 started the same day and insoles on 15 Mar, the last
    settling day: both are taken all through the days counted while taking pregabalin and on none of the days before,
    so the comparison names them, as it does a change the day before it started or on the first day counted."""
    t = treatment(course(START))

    def other(tid: str, name: str, started: dt.date) -> TreatmentFacts:
        return TreatmentFacts(tid, name, vocab.DEVICE, "", vocab.REGULAR, (CourseFacts(started),))

    others = [
        other("t2", "Vitamin B12", START),
        other("t3", "Insoles", SETTLED - dt.timedelta(days=1)),
        other("t4", "Brace", START - dt.timedelta(days=1)),
        other("t5", "TENS", SETTLED),
    ]
    c = compare(diary(), t, changes=timeline.changes([t, *others]))
    assert [(w.window, w.change.name) for w in c.other_changes] == [
        ("before", "Brace"),
        ("settling", "Vitamin B12"),
        ("settling", "Insoles"),
        ("while", "TENS"),
    ]
    assert comparison.notes(c)[-1] == (
        "Other treatments changed in these weeks: Brace started (every day) on 1 Mar 2026 (before); Vitamin B12 "
        "started (every day) on 2 Mar 2026 (in the settling days); Insoles started (every day) on 15 Mar 2026 (in the "
        "settling days); TENS started (every day) on 16 Mar 2026 (while)."
    )


def test_before_a_new_dose_the_words_say_that_only_the_settled_days_of_the_old_one_count():
    """75 mg from 1 May, an entry every day. Changed to 150 mg on 21 May: the days before are 15–20 May (1 May + 14),
    6 of the 20 logged on 75 mg; changed on 8 May instead: 75 mg was taken for 7 days, all settling, and no day before
    is counted, though 7 were logged. The headline's count is of days counted, and a note says which those are."""
    first = dt.date(2026, 5, 1)
    d = diary(quiet=days(first, 40))
    for change, counted, note in (
        (dt.date(2026, 5, 21), 6, "Before this dose, only days on 75 mg twice a day once it had settled in (its first "
                                  "14 days left out) are counted: from 15 May 2026."),
        (dt.date(2026, 5, 8), 0, "Before this dose, only days on 75 mg twice a day once it had settled in (its first "
                                 "14 days left out) are counted: it was taken for 7 days, so none is."),
    ):  # fmt: skip
        t = treatment(course(first, change), course(change, amount="150"))
        c = comparison.compare_treatment(t, today=TODAY, diary=d, changes=timeline.changes([t]))[-1]
        assert comparison.headline(c) == (
            f"Not enough entries before this dose (on 75 mg twice a day) to compare ({counted} of 14 days)."
        )
        assert note in comparison.notes(c)
    # Eight weeks on the old dose, settled: the window is the 8 weeks, and no note is needed.
    t = treatment(course(dt.date(2026, 1, 1), first), course(first, amount="150"))
    c = comparison.compare_treatment(t, today=TODAY, diary=diary(quiet=days(first - dt.timedelta(days=5), 5)),
                                     changes=[])[-1]  # fmt: skip
    assert not any(n.startswith("Before this dose") for n in comparison.notes(c))
