"""Template filters and tags turning vocabulary codes and scales into the patient's words."""

from django import template

from diary import vocab
from diary.clock import episode_duration
from diary.models import Episode

register = template.Library()


@register.filter
def labels(codes: list[str], field: str) -> str:
    """{{ episode.triggers|labels:"triggers" }} → "Sitting, Crossed legs"."""
    vocabulary = vocab.CODE_SETS[field] if field in vocab.CODE_SETS else vocab.CONDITIONS
    return ", ".join(vocab.labels(vocabulary, codes))


@register.filter
def duration(value: Episode | int | None) -> str:
    """{{ episode|duration }} → "5 min", "still going" or "not sure how long"; {{ minutes|duration }} → "5 min"."""
    if isinstance(value, Episode):
        return episode_duration(value.duration_minutes, value.duration_unknown)
    return episode_duration(value)


@register.filter
def severity_label(score: float) -> str:
    """{{ episode.severity|severity_label }} → "4/10"."""
    return vocab.severity_label(score)


@register.simple_tag
def severity_max() -> int:
    """{% severity_max %} → 10, for "/10" set apart from the number."""
    return vocab.SEVERITY_MAX


@register.simple_tag
def night_hours() -> str:
    """{% night_hours %} → "22:00–06:00"."""
    return vocab.NIGHT_LABEL


@register.simple_tag
def severity_range() -> str:
    """{% severity_range %} → "0–10"."""
    return vocab.SEVERITY_RANGE_LABEL
