"""URLs of the patient's diary pages, and the diary's API routes (mounted under /api/v1/ by config.urls)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from diary import api, views

api_routes = {"episodes": api.EpisodeViewSet, "checkins": api.CheckInViewSet}
api_urlpatterns = [
    path("profile/", api.ProfileView.as_view(), name="api-profile"),
    path("export/", api.ExportView.as_view(), name="api-export"),
]

urlpatterns = [
    path("", views.today, name="today"),
    path("log/", views.log_episode, name="log"),
    path("checkin/none/", views.checkin_none, name="checkin-none"),
    path("episodes/<uuid:episode_id>/edit/", views.edit_episode, name="episode-edit"),
    path("episodes/<uuid:episode_id>/delete/", views.delete_episode, name="episode-delete"),
    path("episodes/<uuid:episode_id>/stopped/", views.episode_stopped, name="episode-stopped"),
    path("episodes/restore/", views.restore_episode, name="episode-restore"),
    path("days/<str:date>/", views.day_view, name="day"),
    path("days/<str:date>/checkin/", views.day_checkin, name="day-checkin"),
    path("history/", views.history, name="history"),
    path("settings/", views.settings_view, name="settings"),
    path("settings/my-data.json", views.download_data, name="download-data"),
    path("settings/delete-account/", views.delete_account, name="delete-account"),
    path("settings/apps/<str:digest>/remove/", views.remove_app, name="remove-app"),
    path("settings/sign-out-everywhere/", views.sign_out_everywhere, name="sign-out-everywhere"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.login_view, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password-reset/", views.password_reset, name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("accounts/password/", views.password_change, name="password-change"),
]
