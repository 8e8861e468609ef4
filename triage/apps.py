from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "triage"

    def ready(self) -> None:
        from diary import hooks
        from triage import at_save, receivers  # noqa: F401 - connects to the diary's hook point

        # A new episode that matches an emergency or urgent sign opens its flag in the episode's own transaction.
        hooks.writes_with(at_save.opens_flags)

        # Today: the warning-signs banner; Trends: the open flags marked on the episodes chart (from the
        # `marks` the Trends view passes, which triage gave it through diary.hooks.period_marks).
        hooks.fill_slot("today", "triage/_banner.html")
        hooks.fill_slot("trends", "triage/_trend_marks.html")
        # Log: the warning screen shown from the phone's own check when an entry is kept offline, with the
        # instant signs it reads kept by the service worker beside the app shell.
        hooks.fill_slot("log", "triage/_offline_warning.html", scripts=["instant"])
        from triage import offline

        hooks.keep_with_shell(hooks.OfflineDocument("instant-signs", offline.version))
