from django.apps import AppConfig


class InsightsConfig(AppConfig):
    """Reading the diary back: trend numbers, periods, charts, the heat map and the Trends page."""

    name = "insights"
