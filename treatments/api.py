"""Treatments and doses in the API under /api/v1/ (DESIGN §8), every query starting from the caller."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from diary.api import RANGE_PARAMETERS, date_param
from diary.clock import day_range
from diary.services import clock_of
from treatments import services, timeline
from treatments.models import Dose, Treatment
from treatments.overview import summary_of
from treatments.serializers import DoseSerializer, TreatmentSerializer, treatment_record
from web.api import PAGE_PARAMETERS, StrictLimitOffsetPagination, page_of
from web.http import path_uuid, patient_of
from web.viewsets import KeyedViewSet, SavedByIdViewSet, saves

TREATMENT_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the treatment's UUID")
DOSE_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the dose's UUID")


# --- What the comparison route answers (for the schema; the body is `Comparison.as_json`) -------------------


class WindowRecord(serializers.Serializer[Any]):
    first = serializers.DateField()
    last = serializers.DateField(help_text="before first: the window is still empty (settling)")
    logged_days = serializers.IntegerField(help_text="days in it with an entry: an episode or a check-in")
    episodes = serializers.IntegerField()
    per_day = serializers.FloatField(allow_null=True, help_text="episodes per logged day")
    median_severity = serializers.FloatField(allow_null=True)
    median_duration = serializers.FloatField(allow_null=True, help_text="minutes, finished episodes only")


class ChangeRecord(serializers.Serializer[Any]):
    window = serializers.ChoiceField(choices=["before", "settling", "while"])
    date = serializers.DateField()
    treatment_id = serializers.UUIDField()
    name = serializers.CharField()
    what = serializers.ChoiceField(choices=[timeline.STARTED, timeline.STOPPED, timeline.CHANGED])
    dose = serializers.CharField()
    before = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    words = serializers.CharField()


@extend_schema_serializer(component_name="ComparisonCourse")
class CourseComparisonRecord(serializers.Serializer[Any]):
    started_on = serializers.DateField()
    stopped_on = serializers.DateField(allow_null=True)
    dose = serializers.CharField()
    before = WindowRecord(help_text="the up to 56 days before it started, logged days only")
    # "while" is a Python keyword: the field is declared below under its JSON name.
    rate_ratio = serializers.FloatField(allow_null=True, help_text="episodes per logged day while ÷ before")
    rate_ratio_95 = serializers.ListField(
        child=serializers.FloatField(allow_null=True),
        min_length=2,
        max_length=2,
        help_text="[low, high], exact conditional (Clopper–Pearson) interval; null where there is no limit",
    )
    enough = serializers.BooleanField(help_text="each window has at least 14 logged days")
    other_changes = ChangeRecord(many=True)
    missed_days = serializers.IntegerField()
    words = serializers.ListField(child=serializers.CharField())


CourseComparisonRecord._declared_fields["while"] = WindowRecord(
    help_text="from 14 days after it started to its last day or today, logged days only"
)


class UsesRecord(serializers.Serializer[Any]):
    uses = serializers.IntegerField()
    for_an_episode = serializers.IntegerField()
    rated = serializers.IntegerField()
    helped = serializers.IntegerField()
    helped_a_lot = serializers.IntegerField()
    helped_a_little = serializers.IntegerField()
    no_help = serializers.IntegerField()
    words = serializers.CharField()


class ComparisonRecord(serializers.Serializer[Any]):
    courses = CourseComparisonRecord(many=True, help_text="each course of a treatment taken every day, oldest first")
    as_needed = UsesRecord(allow_null=True, help_text="a treatment taken when needed: its uses; else null")


DosePage = page_of("DosePage", DoseSerializer(many=True), "doses", "newest first")


@extend_schema(tags=["treatments"])
@extend_schema_view(
    create=saves(
        TreatmentSerializer,
        TreatmentSerializer,
        description="Add a treatment with its courses; send an `id` to make retries safe.",
    ),
    update=saves(
        TreatmentSerializer,
        TreatmentSerializer,
        TREATMENT_ID,
        description="Create or replace the treatment with this id, and all of its courses. "
        "Sending it twice leaves one.",
    ),
    partial_update=extend_schema(
        parameters=[TREATMENT_ID],
        request=TreatmentSerializer(partial=True),
        responses=TreatmentSerializer,
        description="Change some fields; `courses`, when given, replaces every course.",
    ),
)
class TreatmentViewSet(SavedByIdViewSet[Treatment]):
    """What the patient takes or does for it, with its courses. PUT creates or replaces (idempotent)."""

    serializer_class = TreatmentSerializer
    missing = services.NO_SUCH_TREATMENT

    def _rows(self, request: Request) -> QuerySet[Treatment]:
        return Treatment.objects.filter(patient=patient_of(request)).prefetch_related("courses")

    def _record(self, row: Treatment) -> dict[str, Any]:
        return treatment_record(row)

    def _save(self, request: Request, treatment_id: uuid.UUID | None, data: Any) -> Response:
        patient = patient_of(request)
        serializer = TreatmentSerializer(data=data, context={"clock": clock_of(patient)})
        serializer.is_valid(raise_exception=True)
        saved = services.save_treatment(
            patient=patient,
            treatment_id=treatment_id or serializer.validated_data.get("id"),
            **TreatmentSerializer.service_arguments(serializer.validated_data),
        )
        body = TreatmentSerializer(self._get(request, str(saved.row.id))).data
        return Response(body, status=status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK)

    @extend_schema(responses=TreatmentSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(TreatmentSerializer(self._rows(request).order_by("name", "id"), many=True).data)

    @extend_schema(parameters=[TREATMENT_ID], responses=TreatmentSerializer)
    def retrieve(self, request: Request, id: str | None = None) -> Response:
        return Response(TreatmentSerializer(self._get(request, id)).data)

    @extend_schema(parameters=[TREATMENT_ID])
    def destroy(self, request: Request, id: str | None = None) -> Response:
        """Delete the treatment, its courses and its doses."""
        treatment = self._get(request, id)
        services.delete_treatment(patient=patient_of(request), treatment_id=treatment.id)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(parameters=[TREATMENT_ID], responses=ComparisonRecord)
    @action(detail=True, methods=["get"])
    def comparison(self, request: Request, id: str | None = None) -> Response:
        """How the episodes went while taking it, beside the weeks before each course (DESIGN §8); "while
        taking", not "because of"."""
        treatment = self._get(request, id)
        patient = patient_of(request)
        summary = summary_of(patient, str(treatment.id), clock_of(patient).today())
        return Response(
            {
                "courses": [c.as_json() for c in summary.comparisons],
                "as_needed": summary.uses.as_json() if summary.uses else None,
            }
        )


@extend_schema(tags=["doses"])
class DoseViewSet(KeyedViewSet):
    """Doses taken or missed, by id. PUT creates or replaces (idempotent): clients generate the UUID."""

    serializer_class = DoseSerializer

    def _doses(self, request: Request) -> QuerySet[Dose]:
        return Dose.objects.filter(treatment__patient=patient_of(request))

    @extend_schema(
        parameters=[
            *RANGE_PARAMETERS,
            OpenApiParameter("treatment", OpenApiTypes.UUID, description="only this treatment's doses"),
            *PAGE_PARAMETERS,
        ],
        responses=DosePage,
    )
    def list(self, request: Request) -> Response:
        """The caller's doses taken or missed on local dates from…to, newest first."""
        patient = patient_of(request)
        zone = clock_of(patient).zone
        doses = self._doses(request).order_by("-taken_at", "id")
        first, last = date_param(request, "from"), date_param(request, "to")
        if first:
            doses = doses.filter(taken_at__gte=day_range(first, first, zone)[0])
        if last:
            doses = doses.filter(taken_at__lt=day_range(last, last, zone)[1])
        if (treatment := request.query_params.get("treatment")) is not None:
            try:
                doses = doses.filter(treatment_id=uuid.UUID(treatment))
            except ValueError:
                raise ValidationError({"treatment": f"Expected a treatment's UUID, got {treatment!r}."}) from None
        paginator = StrictLimitOffsetPagination()
        page = paginator.paginate_queryset(doses, request, view=self)
        return paginator.get_paginated_response(DoseSerializer(page, many=True).data)

    @saves(DoseSerializer, DoseSerializer, DOSE_ID)
    def update(self, request: Request, id: str | None = None) -> Response:
        """Create or replace the dose with this id. Sending it twice leaves one dose."""
        dose_id = path_uuid(id, services.NO_SUCH_DOSE)
        patient = patient_of(request)
        serializer = DoseSerializer(data=request.data, context={"clock": clock_of(patient)})
        serializer.is_valid(raise_exception=True)
        saved = services.save_dose(
            patient=patient, dose_id=dose_id, **DoseSerializer.service_arguments(serializer.validated_data)
        )
        return Response(DoseSerializer(saved.row).data, status=201 if saved.created else 200)

    @extend_schema(parameters=[DOSE_ID])
    def destroy(self, request: Request, id: str | None = None) -> Response:
        if not services.delete_dose(patient=patient_of(request), dose_id=path_uuid(id, services.NO_SUCH_DOSE)):
            raise Http404(services.NO_SUCH_DOSE)
        return Response(status=status.HTTP_204_NO_CONTENT)
