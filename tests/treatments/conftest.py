"""The treatments' tests run on a frozen clock (Wednesday 10 June 2026, 13:00 in London), and may ask for a second
patient's clients as the diary's privacy tests do."""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine

from tests.diary.test_privacy import bob_api, bob_web  # noqa: F401 - the second patient's clients, for test_privacy

NOW = dt.datetime(2026, 6, 10, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield
