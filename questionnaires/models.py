"""A patient's answers to a questionnaire, with the score the server computed, and "not now" on its offer."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class QuestionnaireResponse(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)  # may come from the client
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaire_responses"
    )
    questionnaire = models.CharField(max_length=64)  # an instrument's id (questionnaires/instruments.py)
    version = models.CharField(max_length=16)
    completed_at = models.DateTimeField()
    answers = models.JSONField()  # {link_id: answer}, every item of the instrument
    score = models.PositiveSmallIntegerField()  # computed by the server from the answers, never taken from a client
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-completed_at"]
        indexes = [models.Index(fields=["patient", "questionnaire", "completed_at"], name="response_patient_completed")]

    def __str__(self) -> str:
        return f"{self.questionnaire} {self.version} at {self.completed_at:%Y-%m-%d %H:%M}: {self.score}"


class OfferDeclined(models.Model):
    """The patient said "not now" to a questionnaire's offer on Today (the offer stays away for a while)."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    questionnaire = models.CharField(max_length=64)
    declined_on = models.DateField(help_text="the patient's local date")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["patient", "questionnaire"], name="one_declined_offer_per_questionnaire")
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} declined on {self.declined_on}"
