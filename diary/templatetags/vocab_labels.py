"""Template filter turning vocabulary codes into the patient's words."""

from django import template

from diary import vocab

register = template.Library()


@register.filter
def labels(codes: list[str], field: str) -> str:
    """{{ episode.triggers|labels:"triggers" }} → "Sitting, Crossed legs"."""
    vocabulary = vocab.CODE_SETS[field] if field in vocab.CODE_SETS else vocab.CONDITIONS
    return ", ".join(vocabulary[code].label for code in codes if code in vocabulary)
