"""URLs of the Treatments pages, and the treatments' API routes (mounted under /api/v1/ by config.urls)."""

from django.urls import path

from treatments import api, views

api_routes = {"treatments": api.TreatmentViewSet, "doses": api.DoseViewSet}

urlpatterns = [
    path("treatments/", views.treatments_page, name="treatments"),
    path("treatments/add/", views.add_treatment, name="treatment-add"),
    path("treatments/<uuid:treatment_id>/", views.treatment_page, name="treatment"),
    path("treatments/<uuid:treatment_id>/edit/", views.edit_treatment, name="treatment-edit"),
    path("treatments/<uuid:treatment_id>/dose/", views.change_dose, name="treatment-dose"),
    path("treatments/<uuid:treatment_id>/stop/", views.stop_treatment, name="treatment-stop"),
    path("treatments/<uuid:treatment_id>/missed/", views.missed_day, name="treatment-missed"),
    path("treatments/<uuid:treatment_id>/took/", views.took_it, name="treatment-took"),
    path("treatments/<uuid:treatment_id>/delete/", views.delete_treatment, name="treatment-delete"),
    path("doses/<uuid:dose_id>/effect/", views.rate_effect, name="dose-effect"),
    path("doses/<uuid:dose_id>/delete/", views.delete_dose, name="dose-delete"),
]
