from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "diary"

    def ready(self) -> None:
        from diary import accounts  # noqa: F401 - a new password ends the API tokens
