from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "treatments"

    def ready(self) -> None:
        from diary import hooks
        from treatments import interchange, receivers  # noqa: F401 - connects to the diary's hook points

        # Today: one tap for a treatment taken when needed, and "did it help?" once; Trends: a card per treatment
        # (the bands under the chart come through hooks.period_bands); Log: "took something for it"; Settings:
        # the way to the Treatments page.
        hooks.fill_slot("today", "treatments/_today.html")
        hooks.fill_slot("trends", "treatments/_trends.html")
        hooks.fill_slot("log_form", "treatments/_log.html")
        hooks.fill_slot("settings", "treatments/_settings.html")
        hooks.add_section(interchange.SECTION)
