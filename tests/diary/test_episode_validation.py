"""`validate_episode`, the API's check of an episode on a serializer each thread makes once, answers exactly what
`EpisodeSerializer(...).is_valid()` answers, and no call's context reaches another."""

from __future__ import annotations

import datetime as dt
import threading
import zoneinfo
from typing import Any

import pytest
from rest_framework.exceptions import ValidationError

from diary.clock import Clock
from diary.serializers import EpisodeSerializer, validate_episode
from tests.conftest import episode_json

LONDON = {"clock": Clock(zoneinfo.ZoneInfo("Europe/London")), "date_of_birth": None}
TOKYO = {"clock": Clock(zoneinfo.ZoneInfo("Asia/Tokyo")), "date_of_birth": None}

BAD_INPUTS: list[Any] = [
    None,
    [],
    "an episode",
    {},
    episode_json(severity="4"),
    episode_json(severity=4.0),
    episode_json(severity=11),
    episode_json(locations=[]),
    episode_json(locations=[{"side": "left", "region": "foot"}]),
    episode_json(locations=[{"side": "middle"}]),
    episode_json(sensations=["numbness", 3]),
    episode_json(started_at="yesterday"),
    episode_json(started_at="2026-03-29T01:30:00"),  # skipped by the clocks in London
    episode_json(duration_minutes=10, ongoing=True),
    episode_json(duration_minutes=None, ongoing=False),
    episode_json(duration_unknown=True),
    episode_json(notes=7),
    episode_json(id=0),
    episode_json(alarm_answered="yes"),
]


def is_valid_answer(data: Any, context: dict[str, Any]) -> tuple[str, Any]:
    serializer = EpisodeSerializer(data=data, context=context)
    if serializer.is_valid():
        return "valid", serializer.validated_data
    return "invalid", serializer.errors


def validate_episode_answer(data: Any, context: dict[str, Any]) -> tuple[str, Any]:
    try:
        return "valid", validate_episode(data, context)
    except ValidationError as e:
        return "invalid", e.detail


@pytest.mark.parametrize("data", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_is_refused_with_the_errors_is_valid_gives(data):
    expected = is_valid_answer(data, LONDON)
    assert expected[0] == "invalid"
    assert validate_episode_answer(data, LONDON) == expected


@pytest.mark.parametrize(
    "data",
    [
        episode_json(),
        episode_json(started_at="2026-01-10T08:30:00", symptoms=["saddle_numbness"]),
        episode_json(duration_minutes=None, ongoing=True, id="0b7e7d1e-8d3c-4b8e-9a51-0d1b7c2f4a10"),
        episode_json(duration_minutes=None, duration_unknown=True, notes="not sure how long"),
    ],
)
def test_good_input_gives_the_data_is_valid_gives(data):
    assert validate_episode_answer(data, LONDON) == is_valid_answer(data, LONDON)


def test_each_call_reads_a_time_without_offset_on_its_own_clock():
    local = episode_json(started_at="2026-01-10T08:30:00")
    assert validate_episode(local, LONDON)["started_at"] == dt.datetime(2026, 1, 10, 8, 30, tzinfo=dt.UTC)
    with pytest.raises(ValidationError):
        validate_episode(episode_json(severity=11), TOKYO)  # an error leaves nothing behind either
    assert validate_episode(local, TOKYO)["started_at"] == dt.datetime(2026, 1, 9, 23, 30, tzinfo=dt.UTC)
    assert validate_episode(local, LONDON)["started_at"] == dt.datetime(2026, 1, 10, 8, 30, tzinfo=dt.UTC)


def test_threads_validating_at_once_keep_their_own_clocks():
    local = episode_json(started_at="2026-01-10T08:30:00")
    wrong: list[tuple[str, dt.datetime]] = []
    start = threading.Barrier(4)

    def check(name: str, context: dict[str, Any], expected: dt.datetime) -> None:
        start.wait()
        for _ in range(300):
            got = validate_episode(local, context)["started_at"]
            if got != expected:
                wrong.append((name, got))

    london, tokyo = dt.datetime(2026, 1, 10, 8, 30, tzinfo=dt.UTC), dt.datetime(2026, 1, 9, 23, 30, tzinfo=dt.UTC)
    threads = [
        threading.Thread(target=check, args=(f"{name} {n}", context, expected))
        for n in (1, 2)
        for name, context, expected in (("London", LONDON, london), ("Tokyo", TOKYO, tokyo))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []
