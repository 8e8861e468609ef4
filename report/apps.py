from django.apps import AppConfig


class ReportConfig(AppConfig):
    name = "report"
    verbose_name = "Physician report"
