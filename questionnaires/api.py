"""The questionnaires API under /api/v1/: the instruments' definitions, and the caller's responses by UUID."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from diary.api import RANGE_PARAMETERS, date_param
from diary.clock import day_start
from diary.services import clock_of
from questionnaires import services
from questionnaires.instruments import VERSIONS
from questionnaires.models import QuestionnaireResponse
from questionnaires.serializers import QUESTIONNAIRES, InstrumentSerializer, QuestionnaireResponseSerializer
from web.api import PAGE_PARAMETERS, StrictLimitOffsetPagination, page_of
from web.http import found, path_uuid, patient_of
from web.viewsets import KeyedViewSet, saves

RESPONSE_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the response's UUID")
QUESTIONNAIRE = OpenApiParameter("questionnaire", OpenApiTypes.STR, enum=QUESTIONNAIRES, description="an instrument id")


@extend_schema(tags=["questionnaires"])
class QuestionnaireViewSet(viewsets.ViewSet):
    """The instruments: items in their published words, scoring, cut-offs with their sources, what each is for."""

    @extend_schema(responses=InstrumentSerializer(many=True))
    def list(self, request: Request) -> Response:
        return Response(InstrumentSerializer(list(VERSIONS.values()), many=True).data)


ResponsePage = page_of(
    "QuestionnaireResponsePage", QuestionnaireResponseSerializer(many=True), "responses", "latest first"
)


@extend_schema(tags=["questionnaires"])
class QuestionnaireResponseViewSet(KeyedViewSet):
    """The caller's questionnaire responses by id. PUT creates or replaces (idempotent): clients generate the UUID.
    The score is computed by the server from the answers."""

    serializer_class = QuestionnaireResponseSerializer

    def _responses(self, request: Request) -> QuerySet[QuestionnaireResponse]:
        return patient_of(request).questionnaire_responses.all()

    @extend_schema(parameters=[QUESTIONNAIRE, *RANGE_PARAMETERS, *PAGE_PARAMETERS], responses=ResponsePage)
    def list(self, request: Request) -> Response:
        """Responses completed on the local dates `from`…`to` (either may be left out), latest first."""
        zone = clock_of(patient_of(request)).zone
        responses = self._responses(request).order_by("-completed_at", "id")
        questionnaire = request.query_params.get("questionnaire")
        if questionnaire is not None:
            if questionnaire not in QUESTIONNAIRES:
                raise ValidationError({"questionnaire": f"Unknown questionnaire {questionnaire!r}."})
            responses = responses.filter(questionnaire=questionnaire)
        first, last = date_param(request, "from"), date_param(request, "to")
        if first:
            responses = responses.filter(completed_at__gte=day_start(first, zone))
        if last:
            responses = responses.filter(completed_at__lt=day_start(last + dt.timedelta(days=1), zone))
        paginator = StrictLimitOffsetPagination()
        page = paginator.paginate_queryset(responses, request, view=self)
        return paginator.get_paginated_response(QuestionnaireResponseSerializer(page, many=True).data)

    @extend_schema(parameters=[RESPONSE_ID], responses=QuestionnaireResponseSerializer)
    def retrieve(self, request: Request, id: str | None = None) -> Response:
        response_id = path_uuid(id, services.NO_SUCH_RESPONSE)
        response = found(self._responses(request).filter(id=response_id), services.NO_SUCH_RESPONSE)
        return Response(QuestionnaireResponseSerializer(response).data)

    @saves(QuestionnaireResponseSerializer, QuestionnaireResponseSerializer, RESPONSE_ID)
    def update(self, request: Request, id: str | None = None) -> Response:
        """Create or replace the response with this id. Sending it twice leaves one response."""
        response_id = path_uuid(id, services.NO_SUCH_RESPONSE)
        patient = patient_of(request)
        context = {"clock": clock_of(patient), "patient": patient, "live": True}
        serializer = QuestionnaireResponseSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        saved = services.save_response(
            patient=patient,
            response_id=response_id,
            instrument=data["instrument"],
            completed_at=data["completed_at"],
            answers=data["answers"],
        )
        body = QuestionnaireResponseSerializer(saved.response).data
        return Response(body, status=status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK)

    @extend_schema(parameters=[RESPONSE_ID])
    def destroy(self, request: Request, id: str | None = None) -> Response:
        response_id = path_uuid(id, services.NO_SUCH_RESPONSE)
        if not services.delete_response(patient=patient_of(request), response_id=response_id):
            raise Http404(services.NO_SUCH_RESPONSE)
        return Response(status=status.HTTP_204_NO_CONTENT)
