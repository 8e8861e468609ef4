"""How much CPU a process pays to start: `manage.py check` here against a bare Django + DRF project's.

Every worker start, management command and subprocess test loads the settings, the apps and the URLs;
heavy libraries (WeasyPrint, fhir.resources, pywebpush, drf-spectacular's generator) are imported where
they are used, so that this stays within 2.5× of a bare project. CPU time (user + system) of the child
processes, the median of several runs taken in pairs (bare, ours), so that a busy machine moves it little.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 11
COMMAND = [sys.executable, "manage.py", "check"]
TARGET = 2.5  # at most this many times a bare project's CPU


def cpu_seconds(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    """The CPU time (user + system) of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def bare_project(folder: Path) -> Path:
    """`django-admin startproject` with Django REST framework installed, as a newcomer would start."""
    subprocess.run([sys.executable, "-m", "django", "startproject", "bare", str(folder)], check=True)
    settings = folder / "bare" / "settings.py"
    text = settings.read_text()
    settings.write_text(
        text.replace('"django.contrib.staticfiles",', '"django.contrib.staticfiles",\n    "rest_framework",')
    )
    return folder


def warm(cwd: Path, env: dict[str, str]) -> None:
    """The first run fills the disk cache and writes .pyc files, as `bin/diary build` does for the image: both
    projects are measured from bytecode, even where the shell sets PYTHONDONTWRITEBYTECODE (as the image does)."""
    cpu_seconds(COMMAND, cwd, {k: v for k, v in env.items() if k != "PYTHONDONTWRITEBYTECODE"})


def main() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    ours_env = env | {"DATABASE_URL": env.get("DATABASE_URL", "")}
    bare_runs, our_runs = [], []
    with tempfile.TemporaryDirectory(prefix="nd-bare-") as scratch:
        bare_root = bare_project(Path(scratch))
        warm(bare_root, env)
        warm(ROOT, ours_env)
        # In pairs, one after the other: a machine that slows down or speeds up during the runs moves both alike.
        for _ in range(RUNS):
            bare_runs.append(cpu_seconds(COMMAND, bare_root, env))
            our_runs.append(cpu_seconds(COMMAND, ROOT, ours_env))
    bare, ours = statistics.median(bare_runs), statistics.median(our_runs)
    ratios = sorted(o / b for o, b in zip(our_runs, bare_runs, strict=True))
    print(f"manage.py check, CPU seconds (median of {RUNS} runs, taken in pairs)")
    print(f"  bare Django + DRF project  {bare:6.2f}")
    print(f"  Numbness Diary             {ours:6.2f}   {ours / bare:.1f}× the bare project (target: at most {TARGET}×)")
    print(f"  the pairs' ratios: median {statistics.median(ratios):.2f}×, from {ratios[0]:.2f}× to {ratios[-1]:.2f}×")


if __name__ == "__main__":
    main()
