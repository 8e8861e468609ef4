"""The site's map: every page and API route, by app, in one table (the first pattern that matches wins).

A route's view lives in its app (`<app>/views.py`, `<app>/api.py`); this file only says where each is reached.
"""

from collections.abc import Callable
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from diary import api as diary_api
from diary import views as diary
from insights import api as insights_api
from insights import views as insights
from pwa import views as pwa
from questionnaires import api as questionnaires_api
from questionnaires import views as questionnaires
from report import views as report
from treatments import api as treatments_api
from treatments import views as treatments
from triage import api as triage_api
from triage import views as triage
from web import throttles


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


# /api/v1/: the patient's rows by key (a ViewSet each, its routes named "<basename>-list" and "<basename>-detail"),
# then the rest.
router = SimpleRouter()
router.register("episodes", diary_api.EpisodeViewSet, basename="episode")
router.register("checkins", diary_api.CheckInViewSet, basename="checkin")
router.register("flags", triage_api.FlagViewSet, basename="flag")
router.register("questionnaires", questionnaires_api.QuestionnaireViewSet, basename="questionnaire")
router.register(
    "questionnaire-responses", questionnaires_api.QuestionnaireResponseViewSet, basename="questionnaire-response"
)
router.register("treatments", treatments_api.TreatmentViewSet, basename="treatment")
router.register("doses", treatments_api.DoseViewSet, basename="dose")

api_urlpatterns = [
    *router.urls,
    path("profile/", diary_api.ProfileView.as_view(), name="api-profile"),
    path("export/", diary_api.ExportView.as_view(), name="api-export"),
    path("trends/", insights_api.TrendsView.as_view(), name="api-trends"),
    path("token/", diary_api.TokenView.as_view(), name="api-token"),
    path("schema/", schema_view("SpectacularAPIView"), name="api-schema"),
    path("docs/", schema_view("SpectacularSwaggerSplitView", url_name="api-schema"), name="api-docs"),
]

# The admin reads every patient: off in production unless ADMIN_ENABLED=1, and its sign-in counted like ours.
admin_urlpatterns = [
    path("admin/login/", throttles.guard_sign_in(admin.site.login)),
    path("admin/", admin.site.urls),
]

urlpatterns = [
    path("healthz", diary.healthz, name="healthz"),
    path("favicon.ico", diary.favicon),
    *(admin_urlpatterns if settings.ADMIN_ENABLED else []),
    path("api/v1/", include(api_urlpatterns)),
    # triage: the Flags page, the warning shown after a save, and the signs the phone checks offline
    path("flags/", triage.flags, name="flags"),
    path("flags/<int:flag_id>/acknowledge/", triage.acknowledge, name="flag-acknowledge"),
    path("alert/<uuid:episode_id>/", triage.episode_alert, name="episode-alert"),
    path("alert/<uuid:episode_id>/remove/", triage.remove_logged_by_mistake, name="episode-alert-remove"),
    path("app/signs.json", triage.instant_signs, name="instant-signs"),
    # insights
    path("trends/", insights.trends_page, name="trends"),
    # treatments: the list, one treatment and its courses, its uses
    path("treatments/", treatments.treatments_page, name="treatments"),
    path("treatments/add/", treatments.add_treatment, name="treatment-add"),
    path("treatments/<uuid:treatment_id>/", treatments.treatment_page, name="treatment"),
    path("treatments/<uuid:treatment_id>/edit/", treatments.edit_treatment, name="treatment-edit"),
    path("treatments/<uuid:treatment_id>/dose/", treatments.change_dose, name="treatment-dose"),
    path("treatments/<uuid:treatment_id>/stop/", treatments.stop_treatment, name="treatment-stop"),
    path("treatments/<uuid:treatment_id>/missed/", treatments.missed_day, name="treatment-missed"),
    path("treatments/<uuid:treatment_id>/took/", treatments.took_it, name="treatment-took"),
    path("treatments/<uuid:treatment_id>/delete/", treatments.delete_treatment, name="treatment-delete"),
    path("doses/<uuid:dose_id>/effect/", treatments.rate_effect, name="dose-effect"),
    path("doses/<uuid:dose_id>/delete/", treatments.delete_dose, name="dose-delete"),
    # questionnaires ("answers/" before a questionnaire's slug, which it would match)
    path("questionnaires/answers/<uuid:response_id>/", questionnaires.result, name="questionnaire-result"),
    path("questionnaires/answers/<uuid:response_id>/delete/", questionnaires.delete, name="questionnaire-delete"),
    path("questionnaires/<slug:questionnaire>/", questionnaires.answer, name="questionnaire-answer"),
    path("questionnaires/<slug:questionnaire>/not-now/", questionnaires.not_now, name="questionnaire-not-now"),
    # report: the patient's Report page, and the shared read-only report a physician opens without an account
    path("report/", report.report_page, name="report"),
    path("report/download/<str:what>/", report.download, name="report-download"),
    path("report/share/", report.share_create, name="share-create"),
    path("report/share/<int:link_id>/revoke/", report.share_revoke, name="share-revoke"),
    path("share/<str:token>/", report.shared_report, name="shared-report"),
    path("share/<str:token>/report.pdf", report.shared_pdf, name="shared-pdf"),
    # pwa: the worker and the manifest at the root, so that their scope is the whole site
    path("sw.js", pwa.service_worker, name="service-worker"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("offline/", pwa.offline, name="offline"),
    path("today/no-numbness/", pwa.no_numbness, name="no-numbness"),
    path("app/session.json", pwa.session_state, name="app-session"),
    path("push/subscribe/", pwa.push_subscribe, name="push-subscribe"),
    path("push/unsubscribe/", pwa.push_unsubscribe, name="push-unsubscribe"),
    # diary: Today, Log, a day, History, Settings, accounts
    path("", diary.today, name="today"),
    path("log/", diary.log_episode, name="log"),
    path("checkin/none/", diary.checkin_none, name="checkin-none"),
    path("episodes/<uuid:episode_id>/edit/", diary.edit_episode, name="episode-edit"),
    path("episodes/<uuid:episode_id>/delete/", diary.delete_episode, name="episode-delete"),
    path("episodes/<uuid:episode_id>/stopped/", diary.episode_stopped, name="episode-stopped"),
    path("episodes/restore/", diary.restore_episode, name="episode-restore"),
    path("days/<str:date>/", diary.day_view, name="day"),
    path("days/<str:date>/checkin/", diary.day_checkin, name="day-checkin"),
    path("history/", diary.history, name="history"),
    path("settings/", diary.settings_view, name="settings"),
    path("settings/my-data.json", diary.download_data, name="download-data"),
    path("settings/delete-account/", diary.delete_account, name="delete-account"),
    path("settings/apps/<str:digest>/remove/", diary.remove_app, name="remove-app"),
    path("settings/sign-out-everywhere/", diary.sign_out_everywhere, name="sign-out-everywhere"),
    path("accounts/signup/", diary.signup, name="signup"),
    path("accounts/login/", diary.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", diary.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/password/", diary.password_change, name="password-change"),
]
