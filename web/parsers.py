"""JSON read with a nesting limit, for every JSON body and the import: deep nesting is refused, never a crash."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

# A diary nests four levels (document → episodes → episode → locations → location); 32 is plenty.
MAX_DEPTH = 32


class TooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__(f"JSON nested more than {MAX_DEPTH} levels deep is not accepted.")


def depth_exceeds(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when lists and objects nest deeper than `limit` (iterative: no recursion to exhaust)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def loads(text: str | bytes, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """json.loads, raising TooDeep (a ValueError) for nesting past MAX_DEPTH instead of RecursionError."""
    try:
        value = json.loads(text, parse_constant=parse_constant)
    except RecursionError:
        raise TooDeep() from None
    if depth_exceeds(value):
        raise TooDeep()
    return value


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser with a nesting limit: 400 "JSON nested more than 32 levels…" for deeper bodies."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
            return loads(text, parse_constant=drf_json.strict_constant if self.strict else None)
        except ValueError as error:  # TooDeep, bad JSON, bad encoding
            raise ParseError(f"JSON parse error - {error}") from None
