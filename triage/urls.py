"""URLs of the Flags pages, and triage's API routes (mounted under /api/v1/ by config.urls)."""

from django.urls import path

from triage import api, views

api_routes = {"flags": api.FlagViewSet}

urlpatterns = [
    path("flags/", views.flags, name="flags"),
    path("flags/<int:flag_id>/acknowledge/", views.acknowledge, name="flag-acknowledge"),
    path("alert/<uuid:episode_id>/", views.episode_alert, name="episode-alert"),
    path("alert/<uuid:episode_id>/remove/", views.remove_logged_by_mistake, name="episode-alert-remove"),
    path("app/signs.json", views.instant_signs, name="instant-signs"),
]
