"""What a patient's account lets in: API tokens (django-rest-knox) and signed-in devices, and what ends them.

A token is made by `POST /api/v1/token/` (`issue_token`), stored as a digest only, lasts
settings.API_TOKEN_DAYS after its last use, and ends when the password is set anew (any path:
`hooks.password_changed`), when the patient removes it in Settings, or signs out everywhere.
"""

from __future__ import annotations

import logging
from hmac import compare_digest
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework.exceptions import AuthenticationFailed

from diary import hooks, services
from diary.models import MAX_APP_NAME, ApiToken, Profile
from web.rows import Columns, connection, fetch

log = logging.getLogger(__name__)

UNNAMED_APP = "An app"


class TokenAuthentication(KnoxTokenAuthentication):  # type: ignore[misc]  # knox ships no type hints
    """knox's token check (digest compared in constant time, expiry moved forward by use, at most hourly), with the
    patient's profile in the same query and without knox's sweep of every other token of the patient on each
    request: expired ones are swept when a token is issued."""

    def authenticate_credentials(self, token: bytes) -> tuple[User, ApiToken]:
        """knox's, reading the patient's profile in the same query: every API request needs their clock."""
        key = token.decode("utf-8", errors="replace")
        for auth_token in tokens_by_key(key[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if self._cleanup_token(auth_token):
                continue
            try:
                digest = hash_token(key)
            except (TypeError, ValueError):
                break
            if compare_digest(digest, auth_token.digest):
                if auth_token.expiry:
                    self.renew_token(auth_token)
                user: User
                user, _ = self.validate_user(auth_token)
                return user, auth_token
        raise AuthenticationFailed("Invalid token.")

    def _cleanup_token(self, auth_token: ApiToken) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


_TOKEN, _PATIENT, _PROFILE = Columns(ApiToken, "t"), Columns(User, "u"), Columns(Profile, "p")


def tokens_by_key(token_key: str) -> list[ApiToken]:
    """The tokens with this key (knox's first characters of the token), each with its patient and the patient's
    profile loaded: what `ApiToken.objects.filter(token_key=…).select_related("user__profile")` reads, in the same
    one query, written once instead of compiled by the ORM on every API request (web/rows.py)."""
    db = connection()
    quote = db.ops.quote_name
    user_of_token = ApiToken._meta.get_field("user")
    user_of_profile = Profile._meta.get_field("user")
    tokens, patients, profiles = (quote(model._meta.db_table) for model in (ApiToken, User, Profile))
    patient_id = quote(User._meta.pk.column)
    # Names from the models' metadata, quoted by the database's rules; the key is a parameter.
    sql = (
        f"SELECT {_TOKEN.sql(db)}, {_PATIENT.sql(db)}, {_PROFILE.sql(db)} FROM {tokens} t"  # noqa: S608
        f" INNER JOIN {patients} u ON u.{patient_id} = t.{quote(user_of_token.column)}"
        f" LEFT OUTER JOIN {profiles} p ON p.{quote(user_of_profile.column)} = u.{patient_id}"
        f" WHERE t.{quote('token_key')} = %s"
    )
    found = []
    patient_end = len(_TOKEN) + len(_PATIENT)
    for row in fetch(db, sql, [token_key]):
        auth_token = _TOKEN.instance(row[: len(_TOKEN)], db)
        patient = _PATIENT.instance(row[len(_TOKEN) : patient_end], db)
        user_of_token.set_cached_value(auth_token, patient)
        if row[patient_end] is not None:  # the profile's id: every account has one (diary.models.create_profile)
            profile = _PROFILE.instance(row[patient_end:], db)
            user_of_profile.set_cached_value(profile, patient)
            user_of_profile.remote_field.set_cached_value(patient, profile)
        found.append(auth_token)
    return found


class TokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """The schema's name for it stays `tokenAuth`: `Authorization: Token <key>`, as before knox."""

    target_class = "diary.accounts.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        scheme: dict[str, Any] = build_bearer_security_scheme_object(  # type: ignore[no-untyped-call]
            header_name="Authorization", token_prefix="Token"
        )
        return scheme


def _sweep_expired(patient: User) -> None:
    ApiToken.objects.filter(user=patient, expiry__lt=timezone.now()).delete()


@transaction.atomic
def issue_token(patient: User, name: str) -> tuple[ApiToken, str]:
    """A new token for an app (its key is returned once, never stored). An app that signs in again under the same
    name replaces its old token (one per device); past API_TOKENS_PER_PATIENT the least recently used ends."""
    name = name.strip()[:MAX_APP_NAME] or UNNAMED_APP
    _sweep_expired(patient)
    if name != UNNAMED_APP:
        ApiToken.objects.filter(user=patient, name=name).delete()
    token, key = ApiToken.objects.create(user=patient, name=name)
    keep = settings.API_TOKENS_PER_PATIENT
    stale = ApiToken.objects.filter(user=patient).order_by("-expiry", "-created").values_list("pk", flat=True)[keep:]
    ApiToken.objects.filter(pk__in=list(stale)).delete()
    return token, key


def apps_with_access(patient: User) -> list[ApiToken]:
    """The patient's live tokens, most recently used first (Settings, "Apps with access"). Reads only."""
    live = ApiToken.objects.filter(user=patient, expiry__gte=timezone.now())
    return list(live.order_by("-expiry", "-created"))


def revoke_token(patient: User, digest: str) -> bool:
    """End one of the patient's tokens; False when the patient has no such token (another's answers the same)."""
    deleted, _ = ApiToken.objects.filter(user=patient, digest=digest).delete()
    return bool(deleted)


def end_tokens(patient: User) -> int:
    deleted: int = ApiToken.objects.filter(user=patient).delete()[0]
    return deleted


@transaction.atomic
def sign_out_everywhere(patient: User) -> tuple[int, int]:
    """End every session (each browser signed in) and every API token of the patient: (sessions, tokens); apps end
    what the devices keep (`hooks.signed_out_everywhere`)."""
    ended = services.end_sessions(patient), end_tokens(patient)
    hooks.signed_out_everywhere.send(sender=User, patient=patient)
    return ended


@receiver(post_save, sender=User, dispatch_uid="diary.password_changed")
def announce_new_password(sender: type[User], instance: User, created: bool, **kwargs: Any) -> None:
    """`set_password` leaves the raw password on the user until the save that stores it: then it was set anew.

    A password hash upgraded at sign-in (same password, new hasher) does not pass through `set_password`'s
    raw value and ends nothing.
    """
    if not created and getattr(instance, "_password", None) is not None:
        hooks.password_changed.send(sender=User, patient=instance)


@receiver(hooks.password_changed, dispatch_uid="diary.end_tokens_with_old_password")
def end_tokens_with_old_password(sender: Any, patient: User, **kwargs: Any) -> None:
    ended = end_tokens(patient)
    if ended:
        log.info("New password for patient %s: %d API token(s) ended.", patient.pk, ended)
