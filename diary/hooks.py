"""The diary's one hook point: signals sent when a patient's diary changes.

The diary never imports triage; triage connects receivers here.

- `episode_saved(sender=Episode, episode=…, created=…, before=…)` is sent inside the saving
  transaction; `before` is the episode as it was (`EpisodeFacts`), or None for a new one. A
  receiver may return a list of alerts (dicts) that the patient must see at once; the saving
  view shows them before anything else.
- `diary_changed(sender=…, patient=…)` is sent after any episode or check-in is saved or
  deleted, inside the transaction; receivers defer their work with `transaction.on_commit`.
"""

from __future__ import annotations

from typing import Any

from django.dispatch import Signal

episode_saved = Signal()
diary_changed = Signal()


def alerts_for_saved_episode(episode: Any, created: bool, before: Any = None) -> list[dict]:
    alerts: list[dict] = []
    for _receiver, response in episode_saved.send(
        sender=type(episode), episode=episode, created=created, before=before
    ):
        alerts.extend(response or [])
    return alerts
