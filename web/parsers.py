"""The one way a JSON body is read: UTF-8 only, bounded in size and in nesting, refused with a clear answer.

Every JSON body of the project comes through here: the API (`BoundedJSONParser`, DRF's default parser),
plain views (`json_body`, e.g. the push subscription routes) and the import (`loads`). The charset a client
names is compared with a fixed set and never looked up in `codecs` (which also holds bytes-to-bytes codecs:
`charset=zlib` would turn 50 KB into 50 MB); the body is read up to its limit and no further, and decoding
UTF-8 can only make it shorter, so the decoded text is bounded by the same limit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import IO, Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.http import parse_header_parameters
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser
from rest_framework.utils import json as drf_json

# A diary nests four levels (document → episodes → episode → locations → location); 32 is plenty.
MAX_DEPTH = 32
# The names of UTF-8 a client may give (RFC 8259: JSON exchanged between systems is UTF-8).
UTF8_NAMES = frozenset({"utf-8", "utf8"})


class BodyRefused(ValueError):
    """A body this server won't read, with the HTTP status that says why (400, 413 or 415)."""

    status = 400


class TooDeep(BodyRefused):
    def __init__(self) -> None:
        super().__init__(f"JSON nested more than {MAX_DEPTH} levels deep is not accepted.")


class TooLarge(BodyRefused):
    status = 413

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than the {limit:,} bytes accepted here.")


class NotUtf8(BodyRefused):
    status = 415

    def __init__(self, charset: str) -> None:
        super().__init__(f"Only UTF-8 is accepted, not charset {charset[:40]!r}.")


def declared_charset(content_type: str) -> str | None:
    """The charset parameter of a Content-Type header, lower-cased, or None when it names none."""
    _, params = parse_header_parameters(content_type or "")
    charset = params.get("charset")
    return charset.strip().lower() if charset is not None else None


def require_utf8(content_type: str) -> None:
    """NotUtf8 (415) when the Content-Type names a charset other than UTF-8; no charset means UTF-8."""
    charset = declared_charset(content_type)
    if charset is not None and charset not in UTF8_NAMES:
        raise NotUtf8(charset)


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


def read_bounded(stream: IO[bytes], limit: int) -> bytes:
    """At most `limit` bytes of the stream; TooLarge when there are more (never reads past limit + 1)."""
    raw = stream.read(limit + 1)
    if len(raw) > limit:
        raise TooLarge(limit)
    return raw


def decode(raw: bytes, content_type: str, limit: int, parse_constant: Callable[[str], Any] | None = None) -> Any:
    """A JSON body: UTF-8 named or implied, at most `limit` bytes (and so at most `limit` characters), bounded depth.

    Raises BodyRefused (its `status` says 400, 413 or 415).
    """
    require_utf8(content_type)
    if len(raw) > limit:
        raise TooLarge(limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BodyRefused(f"The body is not valid UTF-8: {error}") from None
    try:
        return loads(text, parse_constant=parse_constant)
    except BodyRefused:
        raise
    except ValueError as error:
        raise BodyRefused(f"JSON parse error - {error}") from None


def json_body(request: HttpRequest, limit: int | None = None) -> Any:
    """The JSON body of a plain Django view's request (an empty body is an empty object). Raises BodyRefused."""
    limit = limit if limit is not None else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    raw = read_bounded(request, limit)  # type: ignore[arg-type]  # HttpRequest is a file-like reader
    return decode(raw or b"{}", request.content_type or "", limit)


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, through `decode`: 415 for a charset other than UTF-8, 413 past API_MAX_BODY_BYTES
    (whatever Content-Length said), 400 "JSON nested more than 32 levels…" for deeper bodies."""

    def parse(
        self, stream: IO[Any], media_type: str | None = None, parser_context: Mapping[str, Any] | None = None
    ) -> Any:
        request = (parser_context or {}).get("request")
        content_type = (request.content_type if request is not None else None) or media_type or ""
        limit = int(settings.API_MAX_BODY_BYTES)
        constant = drf_json.strict_constant if self.strict else None
        try:
            return decode(read_bounded(stream, limit), content_type, limit, parse_constant=constant)
        except NotUtf8 as error:
            raise UnsupportedMediaType(content_type, detail=str(error)) from None
        except TooLarge as error:
            raise PayloadTooLarge(str(error)) from None
        except BodyRefused as error:
            raise ParseError(str(error)) from None
