"""Template filters and tags turning vocabulary codes and scales into the patient's words."""

from django import template

from diary import vocab

register = template.Library()


@register.filter
def labels(codes: list[str], field: str) -> str:
    """{{ episode.triggers|labels:"triggers" }} → "Sitting, Crossed legs"."""
    vocabulary = vocab.CODE_SETS[field] if field in vocab.CODE_SETS else vocab.CONDITIONS
    return ", ".join(vocabulary[code].label for code in codes if code in vocabulary)


@register.filter
def severity_label(score: float) -> str:
    """{{ episode.severity|severity_label }} → "4/10"."""
    return vocab.severity_label(score)


@register.simple_tag
def severity_max() -> int:
    """{% severity_max %} → 10, for "/10" set apart from the number."""
    return vocab.SEVERITY_MAX


@register.simple_tag
def severity_range() -> str:
    """{% severity_range %} → "0–10"."""
    return vocab.SEVERITY_RANGE_LABEL
