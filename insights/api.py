"""The trends API: the numbers behind the Trends page for a period, computed by the same function."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from diary.services import clock_of
from insights import periods, trends
from web.http import patient_of


@extend_schema(
    tags=["trends"],
    parameters=[
        OpenApiParameter(
            "range",
            OpenApiTypes.STR,
            enum=trends.RANGE_CHOICES,
            description=f"a named period (default {trends.DEFAULT_RANGE}); `{trends.CUSTOM}` needs `from` and `to`",
        ),
        OpenApiParameter(
            "from",
            OpenApiTypes.DATE,
            description="first local date of a custom period. **Give `from` and `to` together** (either alone "
            "is a 400); they override `range`, `from` must not be after `to`, `to` not after today, and the "
            "period is at most ten years.",
        ),
        OpenApiParameter(
            "to", OpenApiTypes.DATE, description="last local date of a custom period; given together with `from`."
        ),
    ],
    responses=OpenApiTypes.OBJECT,
)
class TrendsView(APIView):
    """The numbers behind the Trends page for a period: the same function computes both."""

    # The API names the custom dates from/to, like the other list routes.
    PARAMETER_NAMES = {"start": "from", "end": "to", "__all__": "non_field_errors"}

    def get(self, request: Request) -> Response:
        query = request.query_params
        for name in ("range", "from", "to"):
            if query.get(name) == "":
                raise ValidationError({name: "Leave the parameter out, or give it a value."})
        patient = patient_of(request)
        clock = clock_of(patient)
        form = periods.period_form(query, clock.today(), periods.API_PARAMETERS)
        if not form.is_valid():
            names = self.PARAMETER_NAMES
            raise ValidationError(
                {names.get(field, field): [str(e) for e in errors] for field, errors in form.errors.items()}
            )
        period = periods.asked_period(patient, clock, form)
        return Response(periods.trends_of(patient, clock.zone, period).as_json())
