"""Flags raised by the review, and when each patient was last reviewed."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from triage import signs

OPEN, ACKNOWLEDGED, RESOLVED = "open", "acknowledged", "resolved"
STATUSES = {OPEN: "Open", ACKNOWLEDGED: "Acknowledged", RESOLVED: "Resolved"}
ACTIVE = (OPEN, ACKNOWLEDGED)
# Why a resolved flag was resolved: the pattern or sign no longer held ("cleared"), or every episode it
# rested on was deleted or corrected ("withdrawn": it appears only in the patient's own history).
CLEARED, WITHDRAWN = "cleared", "withdrawn"


class Flag(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    code = models.CharField(max_length=40, choices=[(code, s.title) for code, s in signs.CATALOGUE.items()])
    level = models.CharField(max_length=12, choices=list(signs.LEVEL_LABELS.items()))
    status = models.CharField(max_length=12, choices=list(STATUSES.items()), default=OPEN)
    first_seen = models.DateField(help_text="review date on which it first fired")
    last_seen = models.DateField(help_text="latest review date on which it still held")
    opened_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(
        max_length=12,
        blank=True,
        default="",
        choices=[("", "Not resolved"), (CLEARED, "Cleared"), (WITHDRAWN, "Withdrawn: entry corrected")],
    )
    evidence = models.JSONField(default=list, help_text="ids of the episodes behind it")
    # What the patient read: an emergency or urgent flag opened again by an entry that is then deleted or corrected
    # away goes back to read when all it rests on is in here (`review.plan`).
    read_evidence = models.JSONField(default=list, blank=True, help_text="ids of the episodes behind it when read")
    detail = models.JSONField(default=dict, help_text="the numbers that made it fire")
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-last_seen", "-id"]
        constraints = [
            # One live flag per patient and sign: the review relies on it when two workers race.
            models.UniqueConstraint(
                fields=["patient", "code"],
                condition=models.Q(status__in=ACTIVE),
                name="one_active_flag_per_patient_and_code",
            )
        ]
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self) -> str:
        return f"{self.code} ({self.status})"

    @property
    def sign(self) -> signs.Sign:
        return signs.CATALOGUE[self.code]

    @property
    def withdrawn(self) -> bool:
        return self.resolution == WITHDRAWN

    @property
    def reasons(self) -> list[str]:
        return signs.explain(self.code, self.detail)


class PatientReview(models.Model):
    """Bookkeeping for the nightly fan-out: who was reviewed when."""

    patient = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_state")
    reviewed_at = models.DateTimeField()
    as_of = models.DateField()

    def __str__(self) -> str:
        return f"{self.patient} reviewed {self.reviewed_at:%Y-%m-%d %H:%M}"
