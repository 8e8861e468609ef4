"""Flags in the API: list[Any] the caller's flags and acknowledge one."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from diary.http import patient_of
from triage import services
from triage.models import STATUSES, Flag
from triage.presenters import flag_record

FLAG_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


@extend_schema(tags=["flags"])
class FlagViewSet(viewsets.ViewSet):
    """Warning signs raised by the review, with the numbers and sources behind each."""

    lookup_value_regex = r"\d+"

    @extend_schema(
        operation_id="flags_list",
        parameters=[OpenApiParameter("status", OpenApiTypes.STR, enum=list(STATUSES))],
        responses=OpenApiTypes.OBJECT,
    )
    def list(self, request: Request) -> Response:
        flags = patient_of(request).flags.all()
        if status := request.query_params.get("status"):
            flags = flags.filter(status=status)
        return Response([flag_record(f) | {"id": f.id} for f in flags])

    @extend_schema(parameters=[FLAG_ID], responses=OpenApiTypes.OBJECT)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(flag_record(self._get(request, pk)) | {"id": int(pk or "")})

    @extend_schema(parameters=[FLAG_ID], request=None, responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        flag = self._get(request, pk)
        services.acknowledge(flag)
        flag.refresh_from_db()
        return Response(flag_record(flag) | {"id": flag.id})

    def _get(self, request: Request, pk: str | None) -> Flag:
        try:
            return patient_of(request).flags.get(id=int(pk or ""))
        except (ValueError, Flag.DoesNotExist):
            raise Http404("No such flag.") from None
