"""Read-only links a patient gives their physician, and a log of every time one was opened."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

MAX_QUESTIONS = 1000  # characters the patient may write in "questions for my doctor"


class ShareLink(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    token_hash = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token; the token is not kept")
    first = models.DateField()
    last = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    questions = models.TextField(
        blank=True,
        default="",
        max_length=MAX_QUESTIONS,
        help_text="the patient's questions for the doctor, shown on page 1",
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Share link {self.id} ({self.first}…{self.last})"

    def is_live(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        return "active" if self.is_live() else "expired"


class ShareAccess(models.Model):
    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="accesses")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=8, choices=[("page", "Web page"), ("pdf", "PDF")])

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.what} at {self.at:%Y-%m-%d %H:%M}"
