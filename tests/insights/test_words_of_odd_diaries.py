"""Trends' and the report's words on diaries whose right answer is worked out by hand in each test: a tie of
morning and afternoon, "nothing helped", durations nobody knows, a rate over a period that is not whole weeks."""

import datetime as dt
from zoneinfo import ZoneInfo

from diary.facts import EpisodeFacts
from insights import trends
from insights.charts import captions
from report.summary import key_numbers

LONDON = ZoneInfo("Europe/London")
FIRST = dt.date(2026, 1, 5)  # a Monday


def episode(day: int, hour: int, minutes: int | None = 10, unknown: bool = False, relief: tuple[str, ...] = ()):
    start = dt.datetime(2026, 1, day, hour, tzinfo=LONDON)
    places = frozenset({("left", "sole")})
    return EpisodeFacts(
        f"{day}-{hour}", start, minutes, 4, places, relieved_by=frozenset(relief), duration_unknown=unknown
    )


def said(episodes, last=dt.date(2026, 1, 18)):
    numbers = trends.compute(episodes, {}, FIRST, last)
    return numbers, trends.insights(numbers, episodes)


def test_half_in_the_morning_and_half_in_the_afternoon_is_not_most_in_either():
    # 5 at 09:00 and 5 at 14:00, on ten days: a tie, of which no sentence says "most".
    numbers, words = said([episode(5 + i, 9) for i in range(5)] + [episode(10 + i, 14) for i in range(5)])
    assert not any("started in the" in w for w in words), words


def test_nothing_helped_is_not_said_to_have_helped():
    # 6 episodes, 4 with "Nothing helped", 2 eased by rest.
    episodes = [episode(5 + i, 9, relief=("nothing",)) for i in range(4)] + [
        episode(10 + i, 9, relief=("rest",)) for i in range(2)
    ]
    numbers, words = said(episodes)
    assert "Asked what eased it, the answer most often was “Nothing helped”: 4 of 6 episodes." in words
    assert not any("noted as helping" in w for w in words), words


def test_a_tie_of_answers_that_are_no_relief_is_said_as_a_tie():
    # 6 episodes, 3 "Went by itself" and 3 "Nothing helped": neither was the answer most often.
    episodes = [episode(5 + i, 9, relief=("by_itself",)) for i in range(3)] + [
        episode(10 + i, 9, relief=("nothing",)) for i in range(3)
    ]
    numbers, words = said(episodes)
    assert (
        "Asked what eased it, the answers most often were “Went by itself” and “Nothing helped”: 3 of 6 episodes "
        "each." in words
    ), words


def test_durations_nobody_knows_are_not_episodes_still_going():
    # 5 episodes, all over, none with a known length: no median, none "still going".
    episodes = [episode(5 + i, 9, minutes=None, unknown=True) for i in range(5)]
    numbers, _ = said(episodes)
    assert captions(numbers)["duration"] == (
        "No duration known in this period: each episode is still going or not sure how long."
    )
    duration = next(k for k in key_numbers(numbers, episodes) if k.label == "Duration")
    assert (duration.value, duration.note) == ("none known", "5 not sure how long")


def test_the_weekly_rate_is_over_the_periods_days():
    # 13 episodes over 5 Jan – 12 Feb (39 days): 13 / 39 × 7 = 2.33, "2.3 a week", though the period touches 6
    # calendar weeks (13 / 6 would be 2.2).
    episodes = [episode(5 + 2 * i, 9) for i in range(13)]
    numbers, words = said(episodes, last=dt.date(2026, 2, 12))
    assert (numbers.days, len(numbers.buckets)) == (39, 6)
    assert captions(numbers)["frequency"].startswith("13 episodes in 39 days: 2.3 a week on average; ")
    assert "1 episode in the first half" not in " ".join(words)


def test_one_episode_in_a_half_is_one_episode():
    # 1 in the first half of 5–18 Jan (before the 12th), 9 in the second.
    numbers, words = said([episode(5, 9)] + [episode(12 + i % 7, 8 + i) for i in range(9)])
    assert "1 episode in the first half of the period, 9 in the second half." in words


def test_episodes_are_said_on_the_days_they_happened():
    # 5 episodes on 5 and 6 Jan (3 and 2), and "numbness, yes" check-ins on 7–9 Jan with no episode: 5 days with
    # numbness, but the 5 episodes were on 2 of them.
    from report.summary import describe

    episodes = [episode(5, h) for h in (8, 12, 16)] + [episode(6, h) for h in (9, 13)]
    numbers = trends.compute(episodes, {dt.date(2026, 1, d): True for d in (7, 8, 9)}, FIRST, dt.date(2026, 1, 18))
    assert numbers.days_with_numbness == 5
    now = dt.datetime(2026, 1, 19, 12, tzinfo=LONDON)
    assert "5 episodes on 2 days" in describe("Over 2 weeks", numbers, episodes, now)


def test_the_report_says_a_tie_of_what_brought_it_on_and_eased_it_as_a_tie():
    # 5 episodes: after sitting 2, standing 2, walking 1; eased by rest 2, massage 2, warmth 1.
    from report.summary import describe

    doing = ["sitting", "sitting", "standing", "standing", "walking"]
    eased = ["rest", "rest", "massage", "massage", "warmth"]
    episodes = [
        EpisodeFacts(str(i), dt.datetime(2026, 1, 5 + i, 9, tzinfo=LONDON), 10, 4, frozenset({("left", "sole")}),
                     triggers=frozenset({doing[i]}), relieved_by=frozenset({eased[i]}))
        for i in range(5)
    ]  # fmt: skip
    numbers = trends.compute(episodes, {}, FIRST, dt.date(2026, 1, 18))
    words = describe("Over 2 weeks", numbers, episodes, dt.datetime(2026, 1, 19, tzinfo=LONDON))
    assert "(2 of 5 each)" in words and "most often after sitting (2 of 5)" not in words, words
    assert "most often eased by rest, massage (2 of 5 each)" in words, words


def test_trends_and_the_report_say_a_median_duration_alike():
    # Four episodes of 5, 10, 15 and 20 min: the median is between 10 and 15; the report's Duration, Trends' key number
    # and its chart caption all say it as the two middle values ("10–15 min"), not one "12.5 min" and the other a range.
    episodes = [episode(5 + i, 9, minutes=m) for i, m in enumerate((5, 10, 15, 20))]
    numbers, _ = said(episodes)
    duration = next(k for k in key_numbers(numbers, episodes) if k.label == "Duration")
    assert duration.value.startswith("median 10–15 min")
    assert numbers.median_duration == "10–15 min"
    assert captions(numbers)["duration"].startswith("Median duration 10–15 min;")
    one, _ = said([episode(5, 9, minutes=7)])
    assert one.median_duration == "7 min" and said([])[0].median_duration == "–"


def test_the_trends_page_says_the_median_duration_as_the_report_does(client, db):
    from tests.conftest import log, make_patient

    patient = make_patient("tess", tz="Europe/London")
    for minutes in (5, 10, 15, 20):
        log(patient, duration_minutes=minutes)
    client.force_login(patient)
    page = client.get("/trends/").content.decode()
    assert "<dt>Median duration</dt><dd>10–15 min</dd>" in page
