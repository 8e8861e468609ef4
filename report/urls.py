"""URLs of the patient's Report page and of shared, read-only reports."""

from django.urls import path

from report import views

urlpatterns = [
    path("report/", views.report_page, name="report"),
    path("report/download/<str:what>/", views.download, name="report-download"),
    path("report/share/", views.share_create, name="share-create"),
    path("report/share/<int:link_id>/revoke/", views.share_revoke, name="share-revoke"),
    path("share/<str:token>/", views.shared_report, name="shared-report"),
    path("share/<str:token>/report.pdf", views.shared_pdf, name="shared-pdf"),
]
