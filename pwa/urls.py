"""Routes of the installable app; the worker and the manifest sit at the root so their scope is the whole site."""

from django.urls import path

from pwa import views

urlpatterns = [
    path("sw.js", views.service_worker, name="service-worker"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
    path("today/no-numbness/", views.no_numbness, name="no-numbness"),
    path("app/session.json", views.session_state, name="app-session"),
    path("push/subscribe/", views.push_subscribe, name="push-subscribe"),
    path("push/unsubscribe/", views.push_unsubscribe, name="push-unsubscribe"),
]
