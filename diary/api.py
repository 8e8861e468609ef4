"""The HTTP API under /api/v1/: episodes, check-ins, profile and export, all scoped to the caller."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diary import facts, services
from diary.days import started_between
from diary.forms import TrendRangeForm
from diary.http import patient_of
from diary.interchange import export_diary
from diary.models import Episode
from diary.serializers import CheckInSerializer, EpisodeSerializer, ProfileSerializer, episode_record

RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first local date, inclusive"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last local date, inclusive"),
]


def _date_param(request: Request, name: str) -> dt.date | None:
    value = request.query_params.get(name)
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: f"Expected a date as YYYY-MM-DD, got {value!r}."}) from None


def _as_drf_error(error: DjangoValidationError) -> ValidationError:
    return ValidationError(error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages})


class EpisodeSaveResponse(EpisodeSerializer):
    alerts = serializers.ListField(child=serializers.DictField(), read_only=True)


@extend_schema(tags=["episodes"])
class EpisodeViewSet(viewsets.ViewSet):
    """Episodes by id. PUT creates or replaces (idempotent): clients generate the UUID."""

    lookup_field = "id"
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"
    serializer_class = EpisodeSerializer

    def _episodes(self, request: Request) -> QuerySet[Episode]:
        return patient_of(request).episodes.prefetch_related("locations")

    def _get(self, request: Request, id: str | None) -> Episode:
        try:
            return self._episodes(request).get(id=uuid.UUID(str(id)))
        except (ValueError, Episode.DoesNotExist):
            raise Http404("No such episode.") from None

    def _save(self, request: Request, episode_id: uuid.UUID | None, data: Any) -> Response:
        serializer = EpisodeSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        try:
            saved = services.save_episode(
                patient=patient_of(request),
                episode_id=episode_id or serializer.validated_data.get("id"),
                **EpisodeSerializer.service_arguments(serializer.validated_data),
            )
        except services.NotYours:
            raise Http404("No such episode.") from None
        except DjangoValidationError as e:
            raise _as_drf_error(e) from e
        body = EpisodeSerializer(saved.episode).data | {"alerts": saved.alerts}
        return Response(body, status=status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK)

    @extend_schema(parameters=RANGE_PARAMETERS, responses=EpisodeSerializer(many=True))
    def list(self, request: Request) -> Response:
        zone = services.profile_of(patient_of(request)).zone  # DRF authenticates after the middleware ran
        first, last = _date_param(request, "from"), _date_param(request, "to")
        episodes = started_between(self._episodes(request).order_by("-started_at"), first, last, zone)
        paginator = LimitOffsetPagination()
        page = paginator.paginate_queryset(episodes, request, view=self)
        return paginator.get_paginated_response(EpisodeSerializer(page, many=True).data)

    @extend_schema(responses=EpisodeSerializer)
    def retrieve(self, request: Request, id: str | None = None) -> Response:
        return Response(EpisodeSerializer(self._get(request, id)).data)

    @extend_schema(request=EpisodeSerializer, responses={200: EpisodeSaveResponse, 201: EpisodeSaveResponse})
    def create(self, request: Request) -> Response:
        """Create an episode; send an `id` to make retries safe."""
        return self._save(request, None, request.data)

    @extend_schema(request=EpisodeSerializer, responses={200: EpisodeSaveResponse, 201: EpisodeSaveResponse})
    def update(self, request: Request, id: str | None = None) -> Response:
        """Create or replace the episode with this id. Sending it twice leaves one episode."""
        try:
            episode_id = uuid.UUID(str(id))
        except ValueError:
            raise Http404("No such episode.") from None
        return self._save(request, episode_id, request.data)

    @extend_schema(request=EpisodeSerializer(partial=True), responses=EpisodeSaveResponse)
    def partial_update(self, request: Request, id: str | None = None) -> Response:
        episode = self._get(request, id)
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": "Expected a JSON object."})
        merged = episode_record(episode) | dict(request.data)
        if "duration_minutes" in request.data and "ongoing" not in request.data:
            merged["ongoing"] = request.data["duration_minutes"] is None
        return self._save(request, episode.id, merged)

    def destroy(self, request: Request, id: str | None = None) -> Response:
        episode = self._get(request, id)
        services.delete_episode(patient=patient_of(request), episode_id=episode.id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["check-ins"])
class CheckInViewSet(viewsets.ViewSet):
    """One check-in per local date: did the patient have numbness that day?"""

    lookup_field = "date"
    lookup_value_regex = r"\d{4}-\d{2}-\d{2}"
    serializer_class = CheckInSerializer

    def _date(self, value: str | None) -> dt.date:
        try:
            return dt.date.fromisoformat(value or "")
        except ValueError:
            raise Http404("No such date.") from None

    @extend_schema(parameters=RANGE_PARAMETERS, responses=CheckInSerializer(many=True))
    def list(self, request: Request) -> Response:
        checkins = patient_of(request).checkins.order_by("-date")
        first, last = _date_param(request, "from"), _date_param(request, "to")
        if first:
            checkins = checkins.filter(date__gte=first)
        if last:
            checkins = checkins.filter(date__lte=last)
        return Response(CheckInSerializer(checkins, many=True).data)

    def retrieve(self, request: Request, date: str | None = None) -> Response:
        checkin = patient_of(request).checkins.filter(date=self._date(date)).first()
        if checkin is None:
            raise Http404("No check-in that day.")
        return Response(CheckInSerializer(checkin).data)

    @extend_schema(request=CheckInSerializer, responses={200: CheckInSerializer, 201: CheckInSerializer})
    def update(self, request: Request, date: str | None = None) -> Response:
        day = self._date(date)
        data = dict(request.data) if isinstance(request.data, dict) else {}
        serializer = CheckInSerializer(data=data | {"date": day.isoformat()})
        serializer.is_valid(raise_exception=True)
        try:
            checkin, created = services.save_checkin(
                patient=patient_of(request),
                date=day,
                numbness_today=serializer.validated_data["numbness_today"],
                today=timezone.localdate(timezone=services.profile_of(patient_of(request)).zone),
            )
        except DjangoValidationError as e:
            raise _as_drf_error(e) from e
        return Response(CheckInSerializer(checkin).data, status=201 if created else 200)

    def destroy(self, request: Request, date: str | None = None) -> Response:
        if not services.delete_checkin(patient=patient_of(request), date=self._date(date)):
            raise Http404("No check-in that day.")
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["profile"])
class ProfileView(APIView):
    serializer_class = ProfileSerializer

    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(services.profile_of(patient_of(request))).data)

    def _write(self, request: Request, partial: bool) -> Response:
        serializer = ProfileSerializer(services.profile_of(patient_of(request)), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            profile = services.update_profile(patient=patient_of(request), **serializer.validated_data)
        except DjangoValidationError as e:
            raise _as_drf_error(e) from e
        return Response(ProfileSerializer(profile).data)

    def put(self, request: Request) -> Response:
        return self._write(request, partial=False)

    def patch(self, request: Request) -> Response:
        return self._write(request, partial=True)


@extend_schema(tags=["export"], responses=OpenApiTypes.OBJECT)
class ExportView(APIView):
    """The patient's whole diary in the interchange format numbness-diary/1."""

    def get(self, request: Request) -> Response:
        return Response(export_diary(patient_of(request)))


@extend_schema(
    tags=["trends"],
    parameters=[
        OpenApiParameter("range", OpenApiTypes.STR, enum=["2w", "3m", "1y", "all", "custom"]),
        OpenApiParameter("from", OpenApiTypes.DATE, description="first local date (custom period)"),
        OpenApiParameter("to", OpenApiTypes.DATE, description="last local date (custom period)"),
    ],
    responses=OpenApiTypes.OBJECT,
)
class TrendsView(APIView):
    """The numbers behind the Trends page for a period: the same function computes both."""

    # The API names the custom dates from/to, like the other list routes.
    PARAMETER_NAMES = {"start": "from", "end": "to", "__all__": "non_field_errors"}

    def get(self, request: Request) -> Response:
        query = request.query_params
        zone = services.profile_of(patient_of(request)).zone
        form = TrendRangeForm(
            {"range": query.get("range", ""), "start": query.get("from", ""), "end": query.get("to", "")},
            today=timezone.localdate(timezone=zone),
        )
        if not form.is_valid():
            names = self.PARAMETER_NAMES
            raise ValidationError(
                {names.get(field, field): [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        choice, custom = form.selection()
        return Response(facts.trends_for(patient_of(request), zone, choice, custom).as_json())
