"""URLs of the questionnaire pages, and the questionnaires' API routes (mounted under /api/v1/ by config.urls)."""

from django.urls import path

from questionnaires import api, views

api_routes = {"questionnaires": api.QuestionnaireViewSet, "questionnaire-responses": api.QuestionnaireResponseViewSet}

urlpatterns = [
    path("questionnaires/answers/<uuid:response_id>/", views.result, name="questionnaire-result"),
    path("questionnaires/answers/<uuid:response_id>/delete/", views.delete, name="questionnaire-delete"),
    path("questionnaires/<slug:questionnaire>/", views.answer, name="questionnaire-answer"),
    path("questionnaires/<slug:questionnaire>/not-now/", views.not_now, name="questionnaire-not-now"),
]
