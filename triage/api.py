"""Flags in the API: list[Any] the caller's flags and acknowledge one."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from triage import services, signs
from triage.models import STATUSES, Flag
from triage.presenters import flag_records
from web.http import patient_of
from web.viewsets import KeyedViewSet

FLAG_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH)


class SourceRecord(serializers.Serializer[Any]):
    id = serializers.CharField()
    title = serializers.CharField()


class FlagRecord(serializers.Serializer[Any]):
    """The JSON of one flag (`triage.presenters.flag_records`); used to describe the API."""

    id = serializers.IntegerField()
    code = serializers.ChoiceField(choices=sorted(signs.CATALOGUE))
    level = serializers.ChoiceField(
        choices=list(signs.LEVEL_LABELS), help_text="the level of the advice, as the pages show it"
    )
    status = serializers.ChoiceField(choices=list(STATUSES))
    title = serializers.CharField(help_text="the advice's title: a stroke sign logged late is one that has passed")
    message = serializers.CharField(help_text="what to do, in the patient's words")
    call = serializers.BooleanField(help_text="whether the advice is to call the emergency number now")
    evidence = serializers.ListField(child=serializers.UUIDField(), help_text="ids of the episodes behind it")
    detail = serializers.DictField(help_text="the numbers that made it fire")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="those numbers in plain sentences")
    sources = SourceRecord(many=True)
    first_seen = serializers.DateField()
    last_seen = serializers.DateField()
    not_a_diagnosis = serializers.CharField()


@extend_schema(tags=["flags"])
class FlagViewSet(KeyedViewSet):
    """Warning signs raised by the review, with the numbers and sources behind each."""

    lookup_field = "pk"

    @extend_schema(
        operation_id="flags_list",
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=[*STATUSES, ""],
                many=True,
                description="only the flags in these states (repeat it for several); an empty value is ignored",
            )
        ],
        responses=FlagRecord(many=True),
    )
    def list(self, request: Request) -> Response:
        flags = patient_of(request).flags.all()
        if statuses := [value for value in request.query_params.getlist("status") if value]:
            if bad := [s for s in statuses if s not in STATUSES]:
                raise ValidationError({"status": f"Expected one of {', '.join(STATUSES)}; got {bad[0]!r}."})
            flags = flags.filter(status__in=statuses)
        return Response(flag_records(patient_of(request), flags))

    @extend_schema(parameters=[FLAG_ID], responses=FlagRecord)
    def retrieve(self, request: Request, pk: str | None = None) -> Response:
        return Response(flag_records(patient_of(request), [self._get(request, pk)])[0])

    @extend_schema(parameters=[FLAG_ID], request=None, responses=FlagRecord)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        flag = self._get(request, pk)
        services.acknowledge(flag)
        flag.refresh_from_db()
        return Response(flag_records(patient_of(request), [flag])[0])

    def _get(self, request: Request, pk: str | None) -> Flag:
        try:
            return patient_of(request).flags.get(id=int(pk or ""))
        except (ValueError, Flag.DoesNotExist):
            raise Http404("No such flag.") from None
