"""The log in a few taps: the patient's recent distinct episodes, offered as "log this again" cards.

A card fills everything but the time: places, duration, severity, sensations, triggers, other
symptoms and relief. Notes and the alarm questions are never copied: they are asked afresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from diary import vocab
from diary.clock import episode_duration
from diary.models import Episode

REPEAT_CARDS = 3
LOOK_BACK = 60  # most recent episodes searched for distinct ones

RepeatKey = tuple[object, ...]
RELIEF_PHRASES = {"by_itself": "went by itself", "nothing": "nothing helped"}


def repeat_key(episode: Episode) -> RepeatKey:
    """What a card would fill in: two episodes with the same key are the same card."""
    return (
        tuple(episode.places),
        episode.duration_minutes,
        episode.duration_unknown,
        episode.severity,
        tuple(episode.sensations),
        tuple(episode.triggers),
        tuple(code for code in episode.symptoms if code in vocab.SYMPTOMS and not vocab.SYMPTOMS[code].alarm),
        tuple(episode.relieved_by),
    )


def distinct_recent(episodes: Iterable[Episode], limit: int = REPEAT_CARDS) -> list[Episode]:
    """The first `limit` episodes (newest first as given) that differ in what a card fills in."""
    seen: set[RepeatKey] = set()
    chosen = []
    for episode in episodes:
        key = repeat_key(episode)
        if key in seen:
            continue
        seen.add(key)
        chosen.append(episode)
        if len(chosen) == limit:
            break
    return chosen


@dataclass(frozen=True)
class RepeatCard:
    episode: Episode
    places: str  # "Left toes, left sole"
    details: str  # "4/10 · 5 min · Tingling · after Sitting"


def card_for(episode: Episode) -> RepeatCard:
    places = vocab.places_in_words(episode.places)
    duration = episode_duration(episode.duration_minutes, episode.duration_unknown)
    details = [vocab.severity_label(episode.severity), duration]
    details += vocab.labels(vocab.SENSATIONS, episode.sensations)[:2]
    triggers = vocab.labels(vocab.TRIGGERS, episode.triggers)
    if triggers:
        details.append("after " + triggers[0].lower())
    relief = [code for code in episode.relieved_by if code in vocab.RELIEF]
    if relief:
        first = relief[0]
        details.append(RELIEF_PHRASES.get(first, "eased by " + vocab.RELIEF[first].label.lower()))
    return RepeatCard(episode, places, " · ".join(details))


def repeat_cards(patient: Any) -> list[RepeatCard]:
    """Cards for the patient's last few distinct episodes, newest first."""
    recent = patient.episodes.prefetch_related("locations").order_by("-started_at")[:LOOK_BACK]
    return [card_for(episode) for episode in distinct_recent(recent)]
