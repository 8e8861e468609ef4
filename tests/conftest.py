"""Small builders shared by the tests: patients, episodes, signed-in clients, vignettes."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
import zoneinfo
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client
from pytest_django.fixtures import SettingsWrapper
from rest_framework.test import APIClient
from time_machine import TimeMachineFixture

from config.celery import app as celery_app
from diary import services
from diary.models import Episode
from treatments.models import Treatment
from triage import tasks

REPO = Path(__file__).resolve().parents[1]
# The project's own triage cases: always tested; a clone needs nothing outside the repository.
FIXTURE_VIGNETTES = REPO / "tests" / "fixtures" / "vignettes"
# The worked examples beside the repository (../shared/vignettes), tested as well when present.
SHARED = REPO.parent / "shared"
SHARED_VIGNETTES = SHARED / "vignettes"
VIGNETTES = sorted(FIXTURE_VIGNETTES.glob("*.json")) + (
    sorted(SHARED_VIGNETTES.glob("*.json")) if SHARED_VIGNETTES.is_dir() else []
)


def vignette_id(path: Path) -> str:
    return f"{'own' if path.parent == FIXTURE_VIGNETTES else 'shared'}:{path.stem}"


def load_vignette(path: Path) -> dict[str, Any]:
    """A triage case as {"diary", "as_of", "expect": {"flags"}}, from either shape.

    The shared examples hold an interchange-format diary; the project's own fixtures are written
    as a story with entries counted in days before the review date (see tests/fixtures/vignettes).
    """
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if "diary" in data:
        return data
    return case_to_vignette(data)


def case_to_vignette(case: dict[str, Any]) -> dict[str, Any]:
    zone = zoneinfo.ZoneInfo(case["zone"])
    review_on = dt.date.fromisoformat(case["review_on"])
    answered = all("answered" in entry for entry in case["entries"]) and bool(case["entries"])
    episodes = []
    for n, entry in enumerate(case["entries"]):
        day = review_on - dt.timedelta(days=entry["days_before"])
        local = dt.datetime.combine(day, dt.time.fromisoformat(entry["at"]), tzinfo=zone)
        episodes.append(
            {
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{case['story']}#{n}")),
                "started_at": local.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
                "duration_minutes": entry["minutes"],
                "ongoing": entry["minutes"] is None,
                "severity": entry["strength"],
                "locations": [
                    dict(zip(("side", "region"), place.split(" ", 1), strict=True)) for place in entry["where"]
                ],
                "sensations": entry.get("felt", ["numbness"]),
                "triggers": entry.get("doing", []),
                "symptoms": entry.get("also", []),
                "relieved_by": entry.get("eased_by", []),
                "notes": entry.get("notes", ""),
            }
            | ({"alarm_answered": entry["answered"]} if answered else {})
        )
    return {
        "name": case["story"],
        "as_of": case["review_on"],
        "diary": {
            # /2 when the story says which entries answered the alarm questions ("answered"), else /1.
            "format": "numbness-diary/2" if answered else "numbness-diary/1",
            "profile": {"timezone": case["zone"], "conditions": case.get("conditions", []), "emergency_number": "112"},
            "episodes": episodes,
            "checkins": [  # "quiet_days": days before the review date with a "no numbness today" check-in
                {"date": (review_on - dt.timedelta(days=n)).isoformat(), "numbness_today": False}
                for n in case.get("quiet_days", [])
            ],
        },
        "expect": {"flags": case["open_flags"]},
    }


def make_patient(
    username: str = "alice", tz: str = "Europe/London", password: str = "a-long-pass-phrase", **profile: Any
) -> User:
    user = get_user_model().objects.create_user(username=username, password=password, email=f"{username}@example.org")
    services.update_profile(patient=user, timezone=tz, **profile)
    return user


def earlier_today(patient: User) -> dt.datetime:
    """A moment of the patient's today that has passed, whatever the hour: halfway from their midnight to now (an
    hour ago is yesterday at 00:30, which is when CI may run)."""
    now = services.clock_of(patient).now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + (now - midnight) / 2


def migrated_to(target: tuple[str, str]) -> Any:
    """Migrate the test database to `target` (an app and a migration) and return its models as they were then
    (`apps.get_model`), for a test of a migration that carries data."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def log(
    patient: User,
    started_at: dt.datetime | None = None,
    *,
    duration_minutes: int | None = 5,
    severity: int = 3,
    locations: Sequence[tuple[str, str]] = (("left", "sole"),),
    sensations: Sequence[str] = ("numbness",),
    triggers: Sequence[str] = (),
    symptoms: Sequence[str] = (),
    relieved_by: Sequence[str] = (),
    notes: str = "",
) -> Episode:
    """Save an episode through the service every writer uses; sensible defaults for the rest."""
    return services.save_episode(
        patient=patient,
        episode_id=uuid.uuid4(),
        started_at=started_at or dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        duration_minutes=duration_minutes,
        severity=severity,
        locations=list(locations),
        sensations=sensations,
        triggers=triggers,
        symptoms=symptoms,
        relieved_by=relieved_by,
        notes=notes,
    ).episode


def add_treatment(
    patient: User,
    name: str = "Pregabalin",
    *,
    started_on: dt.date,
    stopped_on: dt.date | None = None,
    dose_amount: str | None = "75",
    dose_unit: str = "mg",
    times_per_day: int | None = 2,
    schedule: str = "regular",
    kind: str = "medication",
    ingredient: str = "",
) -> Treatment:
    """A treatment with one course, saved through the service every writer uses."""
    from decimal import Decimal

    from treatments.facts import CourseFacts
    from treatments.services import save_treatment

    course = CourseFacts(
        started_on=started_on,
        stopped_on=stopped_on,
        dose_amount=Decimal(dose_amount) if dose_amount is not None else None,
        dose_unit=dose_unit if dose_amount is not None else "",
        times_per_day=times_per_day if schedule == "regular" else None,
    )
    saved = save_treatment(
        patient=patient,
        treatment_id=None,
        name=name,
        kind=kind,
        schedule=schedule,
        ingredient=ingredient,
        courses=[course],
    )
    treatment: Treatment = saved.row
    return treatment


def episode_json(**overrides: Any) -> dict[str, Any]:
    """An episode as the API and the interchange format take it."""
    return {
        "started_at": "2026-01-10T08:30:00Z",
        "duration_minutes": 10,
        "ongoing": False,
        "severity": 4,
        "locations": [{"side": "left", "region": "calf"}],
        "sensations": ["numbness", "tingling"],
        "triggers": ["sitting"],
        "symptoms": [],
        "relieved_by": ["changed_position"],
        "notes": "",
    } | overrides


def scripts_run_by(page: str) -> list[str]:
    """The scripts an HTML page runs, in order, each bundle's one by one: "timezone" for js/timezone.js. A data block
    (`<script type="application/json">`, the log page's warning signs) runs nothing."""
    from web.scripts import names_in

    names = []
    for tag in re.findall(r"<script\b[^>]*>", page):
        if 'type="application/json"' in tag:
            continue
        src = re.search(r'src="/static/(js/[\w/-]+\.js)"', tag)
        assert src, tag
        names += names_in(src.group(1)) or [src.group(1).removeprefix("js/").removesuffix(".js")]
    return names


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: SettingsWrapper) -> None:
    """PBKDF2's deliberate slowness is for attackers, not for tests (healthchecks does the same)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def background_work_in_process(settings: SettingsWrapper) -> Iterator[None]:
    """Reviews run inline and coalescing uses an in-process cache, unless a test asks for real Redis."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()  # in-process caches are shared by the whole test process
    tasks._QUEUED_HERE.clear()  # and so is what this process queued
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True  # the app reads Django's namespaced CELERY_* keys
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    use_broker(settings.CELERY_BROKER_URL)


@pytest.fixture
def clock_held(time_machine: TimeMachineFixture) -> None:
    """The clock held at this instant: it does not tick while the test runs.

    Throttles count in fixed windows of real time (django-ratelimit's, each key's window with an offset of its
    own). A test that makes several requests and expects the last one counted with the first would fail, once in
    a few hundred runs, when a window happened to end between them.
    """
    time_machine.move_to(dt.datetime.now(dt.UTC), tick=False)


def use_broker(url: str) -> None:
    """Point this process's Celery producer at another broker."""
    celery_app.conf.CELERY_BROKER_URL = url
    # Drops pooled connections to the previous broker. Private, so celery-types leaves it out.
    celery_app._after_fork()  # type: ignore[attr-defined]


@pytest.fixture
def patient(db: None) -> User:
    return make_patient()


@pytest.fixture
def other_patient(db: None) -> User:
    return make_patient("bob", tz="America/Chicago")


@pytest.fixture
def api(patient: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(patient)
    return client


def token_for(patient: User) -> str:
    """A fresh API token of the patient, as `POST /api/v1/token/` would give one."""
    from diary import accounts

    return accounts.issue_token(patient, "Test app")[1]


@pytest.fixture
def token_api(patient: User) -> APIClient:
    """The patient's API client signed in by a real token (not force_authenticate)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(patient)}")
    return client


@pytest.fixture
def web(client: Client, patient: User) -> Client:
    client.force_login(patient)
    return client


# The second patient's browser and API client: the privacy tests have them ask for the first one's things.
@pytest.fixture
def bob_web(client: Client, other_patient: User) -> Client:
    client.force_login(other_patient)
    return client


@pytest.fixture
def bob_api(other_patient: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(other_patient)
    return client
