"""The HTTP API under /api/v1/: episodes, check-ins, profile and export, all scoped to the caller."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import Throttled, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diary import accounts, services
from diary.clock import started_between
from diary.interchange import export_diary
from diary.models import MAX_APP_NAME, Episode, validate_query_day
from diary.serializers import (
    CheckInAnswerSerializer,
    CheckInSerializer,
    EpisodeSerializer,
    ProfileSerializer,
    StrictCharField,
    episode_record,
    validate_episode,
)
from web import throttles
from web.api import PAGE_PARAMETERS, StrictLimitOffsetPagination, page_of
from web.http import found, patient_of
from web.parsers import BoundedJSONParser
from web.viewsets import KeyedViewSet, SavedByIdViewSet, saves

RANGE_PARAMETERS = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="first local date, inclusive (either may be left out)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last local date, inclusive"),
]


EPISODE_ID = OpenApiParameter("id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="the episode's UUID")
CHECKIN_DATE = OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH, description="a local date")
NO_CHECKIN = "No check-in that day."


def date_param(request: Request, name: str) -> dt.date | None:
    """A local date from the query string (`from`, `to`), None when absent; anything else is a 400 naming it."""
    value = request.query_params.get(name)
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise ValidationError({name: f"Expected a date as YYYY-MM-DD, got {value!r}."}) from None
    try:
        validate_query_day(day)
    except DjangoValidationError as e:
        raise ValidationError({name: e.messages}) from None
    return day


class EpisodeSaveResponse(EpisodeSerializer):
    alerts = serializers.ListField(child=serializers.DictField(), read_only=True)


EpisodePage = page_of("EpisodePage", EpisodeSerializer(many=True), "episodes", "newest first")


@extend_schema(tags=["episodes"])
@extend_schema_view(
    create=saves(
        EpisodeSerializer, EpisodeSaveResponse, description="Create an episode; send an `id` to make retries safe."
    ),
    update=saves(
        EpisodeSerializer,
        EpisodeSaveResponse,
        EPISODE_ID,
        description="Create or replace the episode with this id. Sending it twice leaves one episode.",
    ),
    partial_update=extend_schema(
        parameters=[EPISODE_ID], request=EpisodeSerializer(partial=True), responses=EpisodeSaveResponse
    ),
)
class EpisodeViewSet(SavedByIdViewSet[Episode]):
    """Episodes by id. PUT creates or replaces (idempotent): clients generate the UUID."""

    serializer_class = EpisodeSerializer
    missing = services.NO_SUCH_EPISODE

    def _rows(self, request: Request) -> QuerySet[Episode]:
        return patient_of(request).episodes.prefetch_related("locations")

    def _record(self, row: Episode) -> dict[str, Any]:
        return episode_record(row)

    def _save(self, request: Request, episode_id: uuid.UUID | None, data: Any) -> Response:
        # Token and session callers alike: a time without offset is read on the patient's clock.
        profile = services.profile_of(patient_of(request))
        context = {"clock": profile.clock, "date_of_birth": profile.date_of_birth}
        validated = validate_episode(data, context)
        saved = services.save_episode(
            patient=patient_of(request),
            episode_id=episode_id or validated.get("id"),
            **EpisodeSerializer.service_arguments(validated),
        )
        body = EpisodeSerializer(saved.episode).data | {"alerts": saved.alerts}
        return Response(body, status=status.HTTP_201_CREATED if saved.created else status.HTTP_200_OK)

    @extend_schema(parameters=RANGE_PARAMETERS + PAGE_PARAMETERS, responses=EpisodePage)
    def list(self, request: Request) -> Response:
        zone = services.clock_of(patient_of(request)).zone  # explicit: a token caller has no activated zone
        first, last = date_param(request, "from"), date_param(request, "to")
        episodes = started_between(self._rows(request).order_by("-started_at", "id"), first, last, zone)
        paginator = StrictLimitOffsetPagination()
        page = paginator.paginate_queryset(episodes, request, view=self)
        return paginator.get_paginated_response(EpisodeSerializer(page, many=True).data)

    @extend_schema(parameters=[EPISODE_ID], responses=EpisodeSerializer)
    def retrieve(self, request: Request, id: str | None = None) -> Response:
        return Response(EpisodeSerializer(self._get(request, id)).data)

    def _merged(self, row: Episode, request: Request) -> dict[str, Any]:
        merged = super()._merged(row, request)
        if "duration_minutes" in request.data and "ongoing" not in request.data:
            merged["ongoing"] = request.data["duration_minutes"] is None
        if {"duration_minutes", "ongoing"} & set(request.data) and "duration_unknown" not in request.data:
            merged["duration_unknown"] = False  # a duration given, or "still going", is no longer "not sure"
        return merged

    @extend_schema(parameters=[EPISODE_ID])
    def destroy(self, request: Request, id: str | None = None) -> Response:
        episode = self._get(request, id)
        services.delete_episode(patient=patient_of(request), episode_id=episode.id)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["check-ins"])
class CheckInViewSet(KeyedViewSet):
    """One check-in per local date: did the patient have numbness that day?"""

    lookup_field = "date"
    serializer_class = CheckInSerializer

    def _date(self, value: str | None) -> dt.date:
        try:
            return dt.date.fromisoformat(value or "")
        except ValueError:
            raise Http404("No such date.") from None

    @extend_schema(parameters=RANGE_PARAMETERS, responses=CheckInSerializer(many=True))
    def list(self, request: Request) -> Response:
        checkins = patient_of(request).checkins.order_by("-date")
        first, last = date_param(request, "from"), date_param(request, "to")
        if first:
            checkins = checkins.filter(date__gte=first)
        if last:
            checkins = checkins.filter(date__lte=last)
        return Response(CheckInSerializer(checkins, many=True).data)

    @extend_schema(parameters=[CHECKIN_DATE])
    def retrieve(self, request: Request, date: str | None = None) -> Response:
        checkin = found(patient_of(request).checkins.filter(date=self._date(date)), NO_CHECKIN)
        return Response(CheckInSerializer(checkin).data)

    @saves(CheckInAnswerSerializer, CheckInSerializer, CHECKIN_DATE)
    def update(self, request: Request, date: str | None = None) -> Response:
        day = self._date(date)
        serializer = CheckInAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkin, created = services.save_checkin(
            patient=patient_of(request),
            date=day,
            numbness_today=serializer.validated_data["numbness_today"],
            today=services.clock_of(patient_of(request)).today(),
        )
        return Response(CheckInSerializer(checkin).data, status=201 if created else 200)

    @extend_schema(parameters=[CHECKIN_DATE])
    def destroy(self, request: Request, date: str | None = None) -> Response:
        if not services.delete_checkin(patient=patient_of(request), date=self._date(date)):
            raise Http404(NO_CHECKIN)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["profile"])
class ProfileView(APIView):
    serializer_class = ProfileSerializer

    def get(self, request: Request) -> Response:
        return Response(ProfileSerializer(services.profile_of(patient_of(request))).data)

    def _write(self, request: Request, partial: bool) -> Response:
        serializer = ProfileSerializer(services.profile_of(patient_of(request)), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        profile = services.change_settings(patient=patient_of(request), **serializer.validated_data)
        return Response(ProfileSerializer(profile).data)

    def put(self, request: Request) -> Response:
        return self._write(request, partial=False)

    def patch(self, request: Request) -> Response:
        return self._write(request, partial=True)


@extend_schema(tags=["export"], responses=OpenApiTypes.OBJECT)
class ExportView(APIView):
    """The patient's whole diary in the interchange format numbness-diary/2."""

    def get(self, request: Request) -> Response:
        return Response(export_diary(patient_of(request)))


class TokenRequest(serializers.Serializer[Any]):
    username = StrictCharField(max_length=150)
    password = StrictCharField(max_length=4096, trim_whitespace=False, style={"input_type": "password"})
    name = StrictCharField(
        max_length=MAX_APP_NAME,
        required=False,
        allow_blank=True,
        help_text="what the patient will see this app called in Settings, e.g. 'Diary app on Pixel 8' (default: "
        "the User-Agent); signing in again under the same name replaces that app's token",
    )


class TokenAnswer(serializers.Serializer[Any]):
    token = serializers.CharField(help_text="send it as `Authorization: Token <token>`")
    expiry = serializers.DateTimeField(help_text="when it ends unless used: each use moves it to a full term later")


@extend_schema(
    tags=["token"],
    request=TokenRequest,
    responses=TokenAnswer,
    description="Exchange a username and password for a new API token of this app. It lasts API_TOKEN_DAYS "
    "(90 by default) after its last use, and ends when the password changes or the patient removes the app in "
    "Settings. Wrong credentials are a 400.",
)
class TokenView(APIView):
    """A token for username and password, each attempt counted with the login form's guesses."""

    permission_classes = [AllowAny]
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]  # a form too, as DRF's token view took

    def post(self, request: Request) -> Response:
        serializer = TokenRequest(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = serializer.validated_data
        if wait := throttles.password_attempt(request._request, credentials["username"]):
            raise Throttled(wait=wait.retry_after, detail=wait.message("sign-in attempts"))
        patient = authenticate(request._request, username=credentials["username"], password=credentials["password"])
        if patient is None:
            raise ValidationError({"non_field_errors": ["Unable to log in with provided credentials."]})
        name = credentials.get("name") or request.headers.get("User-Agent", "")
        token, key = accounts.issue_token(patient, name)
        response = Response({"token": key, "expiry": token.expiry})
        throttles.remember_device(response, patient.get_username())  # a client that keeps cookies is trusted
        return response
