"""The "no numbness" notes that saving an episode took back (it lasted into those days), kept in the session for
the entry's Undo and for "Logged by mistake? Remove this entry" on its warning screen: removing the entry right
after gives them back (`services.give_back_no_numbness`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import transaction

from diary import services, vocab
from diary.clock import day_words
from web.http import PatientRequest

TAKEN_BACK = "taken_back"  # {"episode": its id, "days": ISO dates}: the last save's only


def _on(days: list[dt.date]) -> str:
    return vocab.in_a_list([day_words(day) for day in days])


def remember(request: PatientRequest, saved: services.SavedEpisode) -> str:
    """Keep the days this save took "no numbness" back from (a save that took none forgets an earlier save's), and
    return the sentence the next page says of them ("" when it took none)."""
    if not saved.taken_back:
        request.session.pop(TAKEN_BACK, None)
        return ""
    days = [day.isoformat() for day in saved.taken_back]
    request.session[TAKEN_BACK] = {"episode": str(saved.episode.id), "days": days}
    return f"It lasted into {_on(saved.taken_back)}, so “no numbness” noted there is taken back."


@transaction.atomic
def delete_giving_back(request: PatientRequest, episode_id: uuid.UUID) -> str:
    """Delete the patient's episode; if it is the one whose save took notes back, give them back. Returns the
    sentence that says so ("" when nothing was given back)."""
    kept = request.session.get(TAKEN_BACK) or {}
    services.delete_episode(patient=request.user, episode_id=episode_id)
    if kept.get("episode") != str(episode_id):
        return ""
    del request.session[TAKEN_BACK]
    days = [dt.date.fromisoformat(day) for day in kept.get("days", [])]
    given = services.give_back_no_numbness(patient=request.user, days=days)
    if not given:
        return ""
    return f" “No numbness” is noted again for {_on(given)}."
