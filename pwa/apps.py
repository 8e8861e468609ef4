from django.apps import AppConfig


class PwaConfig(AppConfig):
    """The installable app: service worker, manifest, offline pages and push notifications."""

    name = "pwa"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pwa import receivers  # noqa: F401  (connects the logout receiver)
