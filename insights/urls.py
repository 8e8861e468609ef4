"""URL of the Trends page, and the trends API route (mounted under /api/v1/ by config.urls)."""

from django.urls import path

from insights import api, views

api_routes: dict[str, type] = {}
api_urlpatterns = [path("trends/", api.TrendsView.as_view(), name="api-trends")]

urlpatterns = [path("trends/", views.trends_page, name="trends")]
