"""Top-level URL wiring: pages of each app, and one API under /api/v1/."""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from diary import urls as diary_urls
from diary.api import TokenView
from diary.views import favicon, healthz
from insights import urls as insights_urls
from questionnaires import urls as questionnaires_urls
from triage import urls as triage_urls

APPS = (diary_urls, insights_urls, triage_urls, questionnaires_urls)


def schema_view(name: str, **options: Any) -> Callable[..., HttpResponse]:
    """A drf-spectacular view, imported on its first request: the schema generator costs a quarter of a second
    that every process loading the URLs (workers, commands, tests) would otherwise pay."""

    @cache
    def view() -> Callable[..., HttpResponse]:
        from drf_spectacular import views

        return getattr(views, name).as_view(**options)  # type: ignore[no-any-return]

    def lazily(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view()(request, *args, **kwargs)

    return lazily


router = SimpleRouter()
for app_urls in APPS:
    for prefix, viewset in app_urls.api_routes.items():
        router.register(prefix, viewset, basename=prefix.rstrip("s"))

api_urlpatterns = [
    *router.urls,
    *(pattern for app_urls in APPS for pattern in getattr(app_urls, "api_urlpatterns", [])),
    path("token/", TokenView.as_view(), name="api-token"),
    path("schema/", schema_view("SpectacularAPIView"), name="api-schema"),
    path("docs/", schema_view("SpectacularSwaggerSplitView", url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_urlpatterns)),
    path("", include(triage_urls.urlpatterns)),
    path("", include(insights_urls.urlpatterns)),
    path("", include(questionnaires_urls.urlpatterns)),
    path("", include("report.urls")),
    path("", include("pwa.urls")),
    path("", include(diary_urls.urlpatterns)),
]
