"""Throttles that slow a guesser without locking anyone out, and the client address they count by.

Each throttle is a fixed window in the cache (Redis), counted by django-ratelimit with an atomic
add-then-increment: a request over the window's count waits until the window ends (Retry-After),
and nothing is ever locked for longer. When the cache is unreachable there is no limit (logged):
the cache is an optimisation, never a reason to refuse a patient.

Password guesses (the login form, the admin's, the API token, the password change and the account
deletion) are counted on the account a name means (`identity`: NFKC and casefold, so `ａlice` and `ALICE`
share alice's budget) and on the address. A browser that signed in to that account before carries a
signed device cookie (OWASP's "device cookies") and is counted on its own allowance instead: strangers
who use up the account's budget slow each other down, not the patient on their own phone.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache as memoized
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django_ratelimit.core import get_usage

from web.middleware import API_PREFIX

log = logging.getLogger(__name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@memoized
def _trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The address of the client: the direct peer, or the one a trusted proxy forwarded for.

    X-Forwarded-For is read only when the direct peer is in TRUSTED_PROXIES, from the right (the
    entries the proxies appended themselves), skipping further trusted proxies; anything a client
    wrote at the left of the header is never believed.
    """
    peer = request.META.get("REMOTE_ADDR", "") or ""
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not networks or not forwarded or not _is_trusted(peer, networks):
        return peer
    address = peer
    for hop in reversed([part.strip() for part in forwarded.split(",")]):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a malformed hop: trust nothing further left
        address = hop
        if not _is_trusted(hop, networks):
            break
    return address


@dataclass(frozen=True)
class Throttled:
    """Over a limit: what to tell the person, and when to try again."""

    retry_after: int  # seconds

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.retry_after / 60))

    def message(self, what: str) -> str:
        unit = "minute" if self.minutes == 1 else "minutes"
        return f"Too many {what} in a short time. Please wait {self.minutes} {unit} and try again."


def _cache_outages() -> tuple[type[Exception], ...]:
    """What an unreachable cache raises. redis-py is imported here, on the first failure, as Django's cache imports it
    on first use: every process that loads the URLs (commands, workers, tests) would otherwise pay for it."""
    from redis.exceptions import RedisError

    return (RedisError, OSError)


def count(request: HttpRequest, name: str, value: str) -> Throttled | None:
    """Count one attempt under the limit `name` for `value` (an address, an account); over it → Throttled."""
    rate = settings.RATE_LIMITS[name]
    try:
        usage = get_usage(request, group=name, key=lambda group, request: value, rate=rate, increment=True)
    except Exception as error:
        if not isinstance(error, _cache_outages()):
            raise
        log.warning("Rate limit %s not applied: the cache is unreachable (%s)", name, error)
        return None
    if usage is None:  # RATELIMIT_ENABLE is off
        return None
    if usage["limit"] == 0 and usage["time_left"] == -1:  # django-ratelimit's answer when the cache did not count
        log.warning("Rate limit %s not applied: the cache did not count", name)
        return None
    if usage["should_limit"]:
        return Throttled(retry_after=max(1, usage["time_left"]))
    return None


def count_all(request: HttpRequest, limits: dict[str, str]) -> Throttled | None:
    """Count one attempt under every limit (name → value); the longest wait if any is over."""
    over = [t for name, value in limits.items() if value and (t := count(request, name, value))]
    return max(over, key=lambda t: t.retry_after) if over else None


def identity(name: str) -> str:
    """The account a typed name (or email) means, for counting: NFKC as the login form reads it, then casefold.

    `ａlice` (full-width), `ALICE` and `alice ` all count as `alice`, whichever of them an account would accept.
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name.strip()).casefold())


DEVICE_COOKIE = "diary_device"
DEVICE_SALT = "web.throttles.device"
DEVICE_MAX_AGE = 365 * 24 * 60 * 60


def trusted_device(request: HttpRequest, who: str) -> str | None:
    """The nonce of this browser's device cookie when it signed in to the account `who` before, else None."""
    value = request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    if not value:
        return None
    account, _, nonce = value.rpartition(":")
    return nonce if account == who and nonce else None


def remember_device(response: HttpResponseBase, username: str) -> None:
    """After a right password: this browser is trusted for that account from now on (a fresh nonce each time)."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{identity(username)}:{secrets.token_urlsafe(16)}",
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def password_attempt(request: HttpRequest, username: str) -> Throttled | None:
    """A password guess for the account `username` names: on this browser's own allowance when it signed in to that
    account before, otherwise per account (the normalised name) and per address, shared by every door."""
    who = identity(username)
    if device := trusted_device(request, who):  # a cookie that fails its signature reads as none
        return count_all(request, {"password-device": device})
    return count_all(request, {"password-account": who, "password-address": client_address(request)})


def signup_attempt(request: HttpRequest) -> Throttled | None:
    return count_all(request, {"signup-address": client_address(request)})


def reset_attempt(request: HttpRequest, email: str) -> Throttled | None:
    """A password-reset request: per address, and per email so that nobody's inbox is flooded."""
    return count_all(request, {"reset-account": identity(email), "reset-address": client_address(request)})


THROTTLED_PAGE = "registration/throttled.html"


def throttled_response(
    request: HttpRequest,
    wait: Throttled,
    what: str,
    *,
    back: str = "",
    template: str = THROTTLED_PAGE,
) -> HttpResponse:
    """The one answer of a page or plain view to a request over a limit: 429 with Retry-After.

    The page says what was too many (`what`, e.g. "sign-in attempts") and how long to wait, and links `back`;
    under /api/ the same words come as JSON `{"detail": …}`, as DRF's Throttled answer does in the API's views.
    """
    message = wait.message(what)
    if request.path.startswith(API_PREFIX):
        response: HttpResponse = JsonResponse({"detail": message}, status=429)
    else:
        context = {"message": message, "minutes": wait.minutes, "back": back, "slow_down": True}
        response = render(request, template, context, status=429)
    response["Retry-After"] = str(wait.retry_after)
    return response


View = Callable[..., HttpResponseBase]


def guard_sign_in(view: View) -> View:
    """A sign-in page (Django's login view, the admin's) with every password counted, and the browser remembered
    as the account's device when it signs in (a redirect with a signed-in user)."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST":
            return view(request, *args, **kwargs)
        username = request.POST.get("username", "")
        if wait := password_attempt(request, username):
            return throttled_response(request, wait, "sign-in attempts", back=request.path)
        response = view(request, *args, **kwargs)
        if response.status_code == 302 and request.user.is_authenticated:
            remember_device(response, request.user.get_username())
        return response

    return guarded
