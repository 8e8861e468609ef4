from django.apps import AppConfig


class WebConfig(AppConfig):
    """The house's HTTP plumbing (no models): installed so that its template tags load."""

    name = "web"
