"""The base classes of the API's viewsets, and the schema of a save by the client's id.

`KeyedViewSet`: the patient's rows by a key, any key reaching the view. `SavedByIdViewSet`: rows the client names
by UUID, saved the same way by POST, PUT and PATCH (`patched`), each save answered 201 or 200 (`saves`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from web.http import Row, found, path_uuid


class KeyedViewSet(viewsets.ViewSet):
    """The patient's rows by a key (`lookup_field`: "id" unless a view says otherwise). Any key reaches the view,
    which answers a JSON 404 for a malformed one: the router's own pattern would let Django answer an HTML 404."""

    lookup_field = "id"
    lookup_value_regex = "[^/]+"


class SavedByIdViewSet(KeyedViewSet, Generic[Row]):
    """The patient's rows named by a UUID the client makes (offline logging and retries depend on it). POST and
    PUT both save through `_save`, so a retry leaves one row; PATCH lays its body over the row's record.

    A subclass gives `missing` (the words of its 404), `_rows`, `_record` and `_save`, and the schema of each
    action with `extend_schema_view` (`saves` for POST and PUT); the actions carry no docstring of their own, so
    each one's description in the schema is the subclass's.
    """

    missing: str

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not isinstance(getattr(cls, "missing", None), str):
            raise TypeError(f"{cls.__name__} names no `missing`: the words of its 404 for an id it does not find")

    def _rows(self, request: Request) -> QuerySet[Row]:
        raise NotImplementedError

    def _record(self, row: Row) -> dict[str, Any]:
        raise NotImplementedError

    def _save(self, request: Request, row_id: uuid.UUID | None, data: Any) -> Response:
        raise NotImplementedError

    def _get(self, request: Request, id: str | None) -> Row:
        return found(self._rows(request).filter(id=path_uuid(id, self.missing)), self.missing)

    def _merged(self, row: Row, request: Request) -> dict[str, Any]:
        return patched(self._record(row), request)

    def create(self, request: Request) -> Response:
        return self._save(request, None, request.data)

    def update(self, request: Request, id: str | None = None) -> Response:
        return self._save(request, path_uuid(id, self.missing), request.data)

    def partial_update(self, request: Request, id: str | None = None) -> Response:
        row = self._get(request, id)
        return self._save(request, row.pk, self._merged(row, request))


View = TypeVar("View", bound=Callable[..., Any])


def saves(
    request: Any, answer: Any, *parameters: OpenApiParameter, description: str | None = None
) -> Callable[[View], View]:
    """The schema of a save by the client's id (POST or PUT): 201 with `answer` when the row is new, 200 when the
    same id was saved before (a retry, or a replacement)."""
    return extend_schema(
        parameters=list(parameters) or None,
        request=request,
        responses={200: answer, 201: answer},
        description=description,
    )


def patched(record: dict[str, Any], request: Request) -> dict[str, Any]:
    """What a PATCH saves: its body laid over the row's own record. A body that is not a JSON object is refused."""
    if not isinstance(request.data, dict):
        raise ValidationError({"non_field_errors": "Expected a JSON object."})
    return record | dict(request.data)
