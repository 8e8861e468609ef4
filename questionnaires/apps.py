from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    """Validated instruments (DESIGN §9; the MNSI first): definitions, responses, scores."""

    name = "questionnaires"

    def ready(self) -> None:
        from diary import hooks
        from questionnaires.instruments import INSTRUMENTS
        from questionnaires.interchange import SECTION

        # Today: the offer of a questionnaire not answered lately (questionnaires.context_processors gives its data);
        # Trends: each instrument's scores over the page's period, with the cut-offs.
        hooks.fill_slot("today", "questionnaires/_today_offer.html")
        hooks.fill_slot("trends", "questionnaires/_trends.html")
        hooks.add_section(SECTION)
        # The answer page opens with no connection too, and its answers wait in the offline queue.
        for questionnaire in INSTRUMENTS:
            hooks.keep_offline("questionnaire-answer", questionnaire)
