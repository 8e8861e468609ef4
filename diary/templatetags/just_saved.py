"""{% just_saved %}: on the page after a save, "Episode saved" with its Undo; after a delete, "Episode deleted"
with an Undo that brings it back. Both show once, and their Undo for ten seconds (static/js/undo.js)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from diary import vocab
from diary.models import Episode
from diary.serializers import episode_record
from web.http import PatientRequest

register = template.Library()

JUST_SAVED = "just_saved"  # the session key diary.views sets after a new episode is saved
JUST_DELETED = "just_deleted"  # the deleted episode's record, kept for Undo (diary.views.restore_episode)
RESTORE_WITHIN = dt.timedelta(minutes=5)  # the note offers Undo for 10 s; a slow tap on it still counts


def keep_for_undo(request: PatientRequest, episode: Episode) -> None:
    """Keep a copy of an episode about to be deleted (its locations prefetched), for the Undo of the next page's
    "Episode deleted" note: the Delete button's, and a warning screen's "Logged by mistake? Remove this entry"."""
    kept = episode_record(episode)
    request.session[JUST_DELETED] = {"record": kept, "at": timezone.now().isoformat(), "shown": False}


@register.inclusion_tag("diary/_just_saved.html", takes_context=True)
def just_saved(context: template.Context) -> dict[str, Any]:
    """Shown once: the saved note's key is taken out of the session by the page that shows it; the deleted
    episode's copy stays (for its Undo) until it is brought back or another one is deleted."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not hasattr(request, "session"):
        return {"episode": None}
    episode_id = request.session.pop(JUST_SAVED, None)
    episode = None
    if episode_id:
        episode = request.user.episodes.prefetch_related("locations").filter(id=episode_id).first()
    places = vocab.places_in_words(episode.places) if episode else ""
    deleted = request.session.get(JUST_DELETED)
    if deleted and not deleted.get("shown"):
        request.session[JUST_DELETED] = deleted | {"shown": True}
        record = deleted["record"]
        where = vocab.places_in_words(vocab.places((loc["side"], loc["region"]) for loc in record["locations"]))
        deleted = {"places": where, "severity": record["severity"]}
    else:
        deleted = None
    anchor = context.get("back_anchor")  # History's day the note is shown at: Undo comes back to it too
    return {
        "episode": episode,
        "places": places,
        "deleted": deleted,
        "next": request.get_full_path() + (f"#{anchor}" if anchor else ""),
        "csrf_token": context.get("csrf_token"),
    }
