"""The API's conventions, set once in settings: how it describes itself, how it pages, how it answers errors.

drf-spectacular documents the successful answers from the serializers; `ApiSchema` adds the
error answers each operation really gives (400 bad input, 401/403 not signed in, 404 not yours
or missing, 413 body too large, 415 a charset other than UTF-8, 429 too many requests), so that
the schema tells the truth.
`exception_handler` turns the errors the domain raises (Django's `ValidationError`, `NotYours`)
into those answers, so that no view needs a try/except of its own.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from web.http import NotYours

_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "what went wrong, in plain words"}},
    "required": ["detail"],
}
_FIELD_ERRORS = {
    "type": "object",
    "description": "Each key names a field (`non_field_errors` for the request as a whole, `detail` for a body "
    "that could not be parsed); each value holds that field's problems in plain words.",
    "additionalProperties": {},
}


def _answer(description: str, schema: dict[str, Any], headers: dict[str, Any] | None = None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": schema}}}
    if headers:
        answer["headers"] = headers
    return answer


ERROR_ANSWERS = {
    "400": _answer("Bad input: nothing was changed.", _FIELD_ERRORS),
    "401": _answer("Not signed in: no or a wrong token.", _DETAIL),
    "403": _answer("Not signed in (session without a CSRF token, or no credentials).", _DETAIL),
    "404": _answer("No such row among the caller's own (another patient's rows answer the same).", _DETAIL),
    "413": _answer("The request body is larger than the API accepts.", _DETAIL),
    "415": _answer("The body is not JSON in UTF-8 (another charset, or another media type).", _DETAIL),
    "429": _answer(
        "Too many requests: wait the number of seconds in Retry-After.",
        _DETAIL,
        headers={"Retry-After": {"schema": {"type": "integer"}, "description": "seconds to wait"}},
    ),
}


class ApiSchema(AutoSchema):
    """The default schema, plus the error answers the operation can give."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        # Every route refuses wrong credentials (even the token endpoint, for a bad Authorization header).
        codes = ["401", "403", "429"]
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            codes.append("400")
        if any(p["in"] == "path" for p in parameters):
            codes.append("404")
        if "requestBody" in operation:
            codes.extend(["413", "415"])
        responses = operation["responses"]
        for code in sorted(codes):
            responses.setdefault(code, ERROR_ANSWERS[code])
        return operation


class StrictLimitOffsetPagination(LimitOffsetPagination):
    """LimitOffset paging that refuses a bad `limit` or `offset` with a 400 instead of silently ignoring it."""

    default_limit = 100
    max_limit = 1000

    def _whole(self, request: Request, name: str, lowest: int, highest: int | None, default: int | None) -> int | None:
        raw = request.query_params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            value = lowest - 1
        if value < lowest or (highest is not None and value > highest):
            bound = f"from {lowest} to {highest}" if highest is not None else f"of at least {lowest}"
            raise ValidationError({name: f"Expected a whole number {bound}, got {raw!r}."})
        return value

    def get_limit(self, request: Request) -> int | None:
        return self._whole(request, self.limit_query_param, 1, self.max_limit, self.default_limit)

    def get_offset(self, request: Request) -> int:
        return self._whole(request, self.offset_query_param, 0, None, 0) or 0

    def get_schema_operation_parameters(self, view: object) -> list[dict[str, Any]]:
        return [
            {
                "name": self.limit_query_param,
                "required": False,
                "in": "query",
                "description": f"How many results per page (default {self.default_limit}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_limit},
            },
            {
                "name": self.offset_query_param,
                "required": False,
                "in": "query",
                "description": "How many results to skip.",
                "schema": {"type": "integer", "minimum": 0},
            },
        ]


PAGE_PARAMETERS = [
    OpenApiParameter(p["name"], p["schema"], OpenApiParameter.QUERY, description=p["description"])
    for p in StrictLimitOffsetPagination().get_schema_operation_parameters(None)
]


def page_of(name: str, results: serializers.BaseSerializer[Any], rows: str, order: str) -> type[Any]:
    """The schema of one page of `StrictLimitOffsetPagination` holding `results`, named `name` in the schema:
    `page_of("EpisodePage", EpisodeSerializer(many=True), "episodes", "newest first")`."""
    page = type(
        name,
        (serializers.Serializer,),
        {
            "__doc__": f"One page of {rows}, {order} (LimitOffset paging).",
            "__module__": results.__class__.__module__,
            "count": serializers.IntegerField(help_text=f"{rows} matching the filter, on every page"),
            "next": serializers.URLField(allow_null=True, help_text="the next page, or null on the last"),
            "previous": serializers.URLField(allow_null=True, help_text="the previous page, or null on the first"),
            "results": results,
        },
    )
    return extend_schema_serializer(many=False)(page)


def as_drf_error(error: DjangoValidationError) -> ValidationError:
    """A Django validation error as DRF's 400, keeping the field names (`non_field_errors` when it names none)."""
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, which also knows the domain's errors: a Django `ValidationError` is a 400 naming the
    field, and `NotYours` a 404 worded exactly as for a missing row."""
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_error(exc)
    elif isinstance(exc, NotYours):
        exc = NotFound(str(exc))
    return drf_exception_handler(exc, context)
