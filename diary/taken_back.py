"""The "no numbness" notes that saving an episode took back (the day it started on, or days it lasted into), kept in
the session for the entry's Undo and for "Logged by mistake? Remove this entry" on its warning screen: removing the
entry right after gives them back (`services.give_back_no_numbness`)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib.auth.models import User
from django.db import transaction

from diary import services, vocab
from diary.clock import day_words, local_date
from web.http import PatientRequest

TAKEN_BACK = "taken_back"  # {"episode": its id, "days": ISO dates}: the last save's only


def _on(days: list[dt.date]) -> str:
    return vocab.in_a_list([day_words(day) for day in days])


def noted_none_on(patient: User, started_at: dt.datetime) -> dt.date | None:
    """The day an episode starting then starts on, when the patient noted "no numbness" for it: saving the episode
    makes it a day with numbness (`remember` is told, so that an Undo gives the note back)."""
    day = local_date(started_at, services.clock_of(patient).zone)
    return day if patient.checkins.filter(date=day, numbness_today=False).exists() else None


def remember(request: PatientRequest, saved: services.SavedEpisode, started_on: dt.date | None = None) -> str:
    """Keep the days this save took "no numbness" back from: `started_on`, the day it started on if it had one
    (`noted_none_on`, asked before the save), and the days it lasted into (a save of another entry that took none
    forgets an earlier save's); return the sentences the next page says of them ("" when it took none). Every save
    from a page calls it: the log form's and the Undo of a delete."""
    days = sorted({*saved.taken_back, *([started_on] if started_on else [])})
    if not days:
        # A retry of the same entry (a double tap, the offline queue's replay after a lost reply) finds the notes
        # gone already: the first save's days stay for its Undo. Another entry's save forgets them.
        if (request.session.get(TAKEN_BACK) or {}).get("episode") != str(saved.episode.id):
            request.session.pop(TAKEN_BACK, None)
        return ""
    request.session[TAKEN_BACK] = {"episode": str(saved.episode.id), "days": [day.isoformat() for day in days]}
    said = []
    if started_on:
        said.append(f"“No numbness” noted for {_on([started_on])} is taken back: this episode started then.")
    if saved.taken_back:
        said.append(f"It lasted into {_on(saved.taken_back)}, so “no numbness” noted there is taken back.")
    return " ".join(said)


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
