"""A realistic 90-day demo diary, built as an interchange document so it loads like any import."""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from typing import Any

from diary import vocab
from diary.clock import utc_timestamp
from diary.interchange import FORMAT

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-diary"
DEMO_TIMEZONE = "Europe/London"

# (weight, triggers, locations, sensations, relieved_by, typical minutes, typical severity, hour range)
_KINDS = [
    (
        6,
        ["sitting"],
        [("left", "sole"), ("left", "toes")],
        ["numbness", "tingling"],
        ["changed_position"],
        6,
        3,
        (9, 21),
    ),
    (3, ["crossed_legs"], [("left", "top_of_foot")], ["numbness", "tingling"], ["changed_position"], 4, 2, (10, 22)),
    (2, ["walking"], [("left", "calf"), ("left", "shin")], ["numbness", "pain"], ["rest"], 12, 5, (8, 19)),
    (1, ["lying", "sleep"], [("left", "calf")], ["numbness", "pain"], ["walking_around"], 15, 5, (1, 5)),
    (1, ["standing"], [("left", "thigh_outer")], ["burning", "tingling"], ["rest"], 20, 4, (12, 18)),
]


def demo_document(
    today: dt.date, seed: int = 7, days: int = 90, episodes_per_day: tuple[int, int, int] = (3, 5, 2)
) -> dict[str, Any]:
    """`days` days ending yesterday: mostly sitting-related episodes in the left foot, a few after walking.

    `episodes_per_day` weighs days with 0, 1 and 2 episodes; about one day in eight is not logged.
    """
    rng = random.Random(seed)
    zone = zoneinfo.ZoneInfo(DEMO_TIMEZONE)
    weights = [kind[0] for kind in _KINDS]
    episodes, checkins = [], []
    for offset in range(days, 0, -1):
        day = today - dt.timedelta(days=offset)
        if rng.random() < 0.12:
            continue  # not logged that day
        count = rng.choices([0, 1, 2], weights=episodes_per_day)[0]
        for _ in range(count):
            _, triggers, locations, sensations, relief, minutes, severity, hours = rng.choices(_KINDS, weights)[0]
            hour = rng.randint(*hours)
            local = dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)), tzinfo=zone)
            symptoms = ["cramps", "sleep_disrupted"] if "sleep" in triggers else []
            if "walking" in triggers:
                symptoms = ["cramps"]
            if "standing" in triggers and rng.random() < 0.5:
                symptoms = ["back_pain"]
            episodes.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "started_at": utc_timestamp(local),
                    "duration_minutes": max(1, round(rng.gauss(minutes, minutes / 3))),
                    "ongoing": False,
                    "severity": min(vocab.SEVERITY_MAX, max(1, round(rng.gauss(severity, 1.2)))),
                    "locations": [{"side": s, "region": r} for s, r in locations[: rng.randint(1, len(locations))]],
                    "sensations": sensations,
                    "triggers": triggers,
                    "symptoms": symptoms,
                    "relieved_by": relief,
                    "notes": rng.choice(["", "", "", "At my desk.", "Long meeting.", "After the bus ride."])
                    if "sitting" in triggers
                    else "",
                }
            )
        checkins.append({"date": day.isoformat(), "numbness_today": count > 0})
    episodes.sort(key=lambda e: str(e["started_at"]))
    for n, episode in enumerate(episodes):
        # The first fifth were logged before the app asked the alarm questions on every entry: no answer recorded.
        episode["alarm_answered"] = n >= len(episodes) // 5
    return {
        "format": FORMAT,
        "profile": {"timezone": DEMO_TIMEZONE, "conditions": ["back_problems"], "emergency_number": "999"},
        "episodes": episodes,
        "checkins": checkins,
    } | _treatments(today, episodes, random.Random(seed + 1))


def _treatments(today: dt.date, episodes: list[dict[str, Any]], rng: random.Random) -> dict[str, Any]:
    """The interchange format's treatments and doses (DESIGN §8) of the demo: pregabalin every day from 50 days
    ago, vitamin B12 stopped 20 days ago, insoles, and ibuprofen when needed after some of the worse episodes.
    Drawn from their own random numbers, so the episodes are the same with or without them."""

    def day(days_ago: int) -> str:
        return (today - dt.timedelta(days=days_ago)).isoformat()

    def course(
        start: int, amount: float | None, unit: str, times: int | None, stop: int | None = None, reason: str = ""
    ) -> dict[str, Any]:
        return {
            "started_on": day(start),
            "stopped_on": day(stop) if stop is not None else None,
            "dose_amount": amount,
            "dose_unit": unit,
            "times_per_day": times,
            "stop_reason": reason,
        }

    def treatment(key: str, name: str, kind: str, schedule: str, *courses: dict[str, Any]) -> dict[str, Any]:
        ingredient = key if kind != "other" else ""
        return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-treatment:{key}")), "name": name, "kind": kind,
                "ingredient": ingredient, "schedule": schedule, "notes": "", "courses": list(courses)}  # fmt: skip

    ibuprofen = treatment("ibuprofen", "Ibuprofen", "medication", "as_needed", course(80, 400, "mg", None))
    treatments = [
        treatment("pregabalin", "Pregabalin", "medication", "regular", course(50, 75, "mg", 2)),
        treatment(
            "vitamin_b12", "Vitamin B12", "supplement", "regular", course(85, 1000, "mcg", 1, 20, "did_not_help")
        ),
        treatment("insoles", "Insoles", "device", "regular", course(70, None, "", None)),
        ibuprofen,
    ]
    since = (today - dt.timedelta(days=80)).isoformat()
    worse = [e for e in episodes if e["severity"] >= 5 and e["started_at"] >= since and rng.random() < 0.5]
    doses = []
    for e in worse:
        ended = dt.datetime.fromisoformat(e["started_at"]) + dt.timedelta(minutes=e["duration_minutes"])
        doses.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"demo-dose:{e['id']}")),
                "treatment_id": ibuprofen["id"],
                "taken_at": utc_timestamp(ended),
                "status": "taken",
                "amount": None,
                "episode_id": e["id"],
                "effect": rng.choice(["helped_a_lot", "helped_a_little", "helped_a_little", "no_help", ""]),
            }
        )
    return {"treatments": treatments, "doses": doses}
