"""Throttles that slow a guesser without locking anyone out, and the client address they count by.

Each throttle is a fixed window in the cache (Redis), counted by django-ratelimit with an atomic
add-then-increment: a request over the window's count waits until the window ends (Retry-After),
and nothing is ever locked for longer. When the cache is unreachable there is no limit (logged):
the cache is an optimisation, never a reason to refuse a patient.
"""

from __future__ import annotations

import ipaddress
import logging
import math
from dataclasses import dataclass
from functools import cache as memoized

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

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


def count(request: HttpRequest, name: str, value: str) -> Throttled | None:
    """Count one attempt under the limit `name` for `value` (an address, an account); over it → Throttled."""
    rate = settings.RATE_LIMITS[name]
    try:
        usage = get_usage(request, group=name, key=lambda group, request: value, rate=rate, increment=True)
    except (RedisError, OSError) as error:
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


def password_attempt(request: HttpRequest, username: str) -> Throttled | None:
    """A password guess, at the login form or the API token endpoint: per account and per address."""
    return count_all(
        request,
        {"password-account": username.strip().casefold(), "password-address": client_address(request)},
    )


def signup_attempt(request: HttpRequest) -> Throttled | None:
    return count_all(request, {"signup-address": client_address(request)})


def reset_attempt(request: HttpRequest, email: str) -> Throttled | None:
    """A password-reset request: per address, and per email so that nobody's inbox is flooded."""
    return count_all(request, {"reset-account": email.strip().casefold(), "reset-address": client_address(request)})


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
