"""{% just_saved %}: the "Episode saved" confirmation with its Undo, on the page after a save."""

from __future__ import annotations

from typing import Any

from django import template

from diary import vocab

register = template.Library()

JUST_SAVED = "just_saved"  # the session key diary.views sets after a new episode is saved


@register.inclusion_tag("diary/_just_saved.html", takes_context=True)
def just_saved(context: template.Context) -> dict[str, Any]:
    """Shown once: the key is taken out of the session by the page that shows it."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated or not hasattr(request, "session"):
        return {"episode": None}
    episode_id = request.session.pop(JUST_SAVED, None)
    episode = None
    if episode_id:
        episode = request.user.episodes.prefetch_related("locations").filter(id=episode_id).first()
    places = vocab.places_in_words(episode.places) if episode else ""
    return {"episode": episode, "places": places, "request": request, "csrf_token": context.get("csrf_token")}
