"""The diary's hook points: signals sent when a patient's diary changes, and slots in its pages.

The diary never imports triage, and its templates name nothing of triage; triage connects receivers
here and fills the slots.

- `episode_saved(sender=Episode, episode=…, created=…, before=…)` is sent inside the saving
  transaction; `before` is the episode as it was (`EpisodeFacts`), or None for a new one. A
  receiver may return a list of `Alert`s that the patient must see at once; the saving view
  shows them before anything else.
- `diary_changed(sender=…, patient=…)` is sent after any episode or check-in is saved or
  deleted, inside the transaction; receivers defer their work with `transaction.on_commit`.
- `alert_page(sender=None, episode_id=…, codes=…)`: a receiver returns the address of the page
  that shows the alerts with these codes for the episode just saved (the saving view goes there).
- `period_marks(sender=User, patient=…, first=…, last=…)`: receivers return `Mark`s, dated events
  that the Trends charts draw as dashed lines (triage: open warning signs first seen in the period).
- Slots: a page includes the template named by `slots.<name>` in its context, when there is one:
  `today` (Today, below the still-going episodes) and `trends` (Trends, above the charts; it may
  read the page's `marks`). A context processor provides `slots` (triage/context_processors.py).
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any, TypedDict

from django.dispatch import Signal

episode_saved = Signal()
diary_changed = Signal()
alert_page = Signal()
period_marks = Signal()


class AlertSource(TypedDict):
    id: str
    title: str
    publisher: str
    url: str  # empty for the seed articles, which are cited by id and title


class Alert(TypedDict):
    """What the patient must be told at once about the episode just saved (filled in by triage)."""

    code: str
    level: str
    title: str
    message: str
    matched: list[str]
    late_entry: bool  # stroke signs logged over 24 h after they started: the urgent screen
    emergency_number: str
    sources: list[AlertSource]


def alerts_for_saved_episode(episode: Any, created: bool, before: Any = None) -> list[Alert]:
    alerts: list[Alert] = []
    for _receiver, response in episode_saved.send(
        sender=type(episode), episode=episode, created=created, before=before
    ):
        if isinstance(response, list):
            alerts.extend(response)
    return alerts


def alert_page_for(episode_id: uuid.UUID, codes: list[str]) -> str | None:
    """Where the patient sees the alerts that saving this episode raised, if an app shows them."""
    for _receiver, response in alert_page.send(sender=None, episode_id=episode_id, codes=codes):
        if isinstance(response, str):
            return response
    return None


class Mark(TypedDict):
    """A dated event drawn on the Trends charts (filled in by triage: an open warning sign)."""

    date: dt.date
    title: str
    level: str  # for the slot's styling: emergency, urgent, see_doctor
    url: str  # where the patient reads about it


def marks_for(patient: Any, first: dt.date, last: dt.date) -> list[Mark]:
    marks: list[Mark] = []
    for _receiver, response in period_marks.send(sender=type(patient), patient=patient, first=first, last=last):
        if isinstance(response, list):
            marks.extend(response)
    return sorted(marks, key=lambda m: (m["date"], m["title"]))
