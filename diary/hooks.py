"""The diary's hook points: signals sent when a patient's diary changes, and slots in its pages.

The diary never imports triage, and its templates name nothing of triage; triage connects receivers
here and fills the slots.

- `episode_saved(sender=Episode, episode=…, created=…, before=…)` is sent inside the saving
  transaction; `before` is the episode as it was (`EpisodeFacts`), or None for a new one. A
  receiver may return a list of `Alert`s that the patient must see at once; the saving view
  shows them before anything else.
- `diary_changed(sender=…, patient=…)` is sent after any episode or check-in is saved or
  deleted, inside the transaction; receivers defer their work with `transaction.on_commit`.
- Slots: a page includes the template named by `slots.<name>` in its context, when there is one:
  `today` (Today, below the still-going episodes) and `trends` (Trends, above the charts; it may
  read the page's `flags`). A context processor provides `slots` (triage/context_processors.py).
"""

from __future__ import annotations

from typing import Any, TypedDict

from django.dispatch import Signal

episode_saved = Signal()
diary_changed = Signal()


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
