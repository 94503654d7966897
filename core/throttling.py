"""Request rates, counted exactly under concurrency: a sliding-window counter in Django's cache.

DRF's own throttles keep a list of request times under one cache key and write it back after reading
it, with no lock: parallel requests read the same list and all pass (16 clients got 185 requests through
a 120/minute limit). Here each client has one counter per window of the rate's length, raised with
cache.add + cache.incr, which are atomic (SET NX and INCR in Redis; under a lock in the local-memory
cache): every request gets its own count, so no more than the limit pass, however many arrive at once.
A request is allowed while

    previous window's count × (share of the previous window still inside the last `duration`) + this count

stays within the limit (the "sliding window counter": no burst of twice the rate at a window's edge). A
refused request takes its count back, so hammering does not extend the wait. Retry-After says when one
more request fits by that same estimate: at most two periods (a client that used its whole rate early in
one window waits into the next, until the first weighs little enough). The counters live in the
default cache: Redis when REDIS_URL is set (shared by every web process), the process's memory otherwise.

The rates are settings (REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]: API_THROTTLE_ANON, API_THROTTLE_USER,
API_THROTTLE_EXPORT), read at each request rather than once at import as DRF's classes do, so a
deployment (or a test) that changes them is obeyed. The classes are DRF throttles (the API's views use
them through api.throttling) and also work on a plain Django request (the pages' downloads).
"""
from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import throttling
from rest_framework.settings import api_settings


class CounterRateThrottle(throttling.SimpleRateThrottle):
    """A DRF throttle whose count is one atomic counter per window (see the module's docstring)."""

    scope: str
    _wait: float = 0.0

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        return True if self.key is None else self.allow_key(self.key)

    def allow_key(self, key: str) -> bool:
        """Count one request under `key`; False (and wait() set) when that goes over the rate."""
        limit, duration = self.num_requests, self.duration
        now = self.timer()
        window, elapsed = divmod(now, duration)
        current_key = f"{key}:{int(window)}"
        current = self._increment(current_key, duration)
        previous = cache.get(f"{key}:{int(window) - 1}", 0)
        weight = 1 - elapsed / duration
        if previous * weight + current <= limit:
            return True
        try:
            cache.decr(current_key)  # a refused request does not count
        except ValueError:  # the window's counter expired meanwhile
            pass
        self._wait = self._seconds_until_allowed(previous, current - 1, elapsed)
        return False

    @staticmethod
    def _increment(key: str, duration: int) -> int:
        # Kept for two windows: the next one still weighs this one's count.
        for _attempt in range(2):
            cache.add(key, 0, timeout=2 * duration + 1)
            try:
                return cache.incr(key)
            except ValueError:  # expired between add and incr: add it again
                continue
        return 1

    def _seconds_until_allowed(self, previous: int, current: int, elapsed: float) -> float:
        """When one more request fits, if no other passes meanwhile."""
        limit, duration = self.num_requests, self.duration
        room = limit - 1 - current
        if room >= 0 and previous > 0:  # later in this window, as the previous one weighs less
            return max(duration * (1 - room / previous) - elapsed, 1.0)
        # In the next window, once this window's count weighs little enough.
        later = duration * (1 - (limit - 1) / current) if current > 0 else 0.0
        return max(duration - elapsed + later, 1.0)

    def wait(self) -> float:
        return self._wait


class AnonRateThrottle(CounterRateThrottle):
    """Anonymous clients, by address (the proxy's X-Forwarded-For entry only when BEHIND_PROXY)."""

    scope = "anon"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.ident_key(request)

    def ident_key(self, request: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class UserRateThrottle(CounterRateThrottle):
    """Signed-in users, by user (anonymous ones by address)."""

    scope = "user"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        user = request.user
        ident = user.pk if user and user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ExportRateThrottle(UserRateThrottle):
    """CSV and XLSX downloads, per user (or address): reading and writing thousands of rows costs seconds,
    so they have their own, lower rate, shared by the API and the pages' download links."""

    scope = "export"


def failed_authentication_allowed(request: Any) -> AnonRateThrottle | None:
    """Count a request whose credentials were refused (a bad token) as an anonymous one, by address:
    None while within the anonymous rate, else the throttle (its wait() says for how long)."""
    throttle = AnonRateThrottle()
    if throttle.rate is None or throttle.allow_key(throttle.ident_key(request)):
        return None
    return throttle


def page_export_refused(request: HttpRequest) -> HttpResponse | None:
    """For a page's CSV/XLSX download: None within the export rate, else a 429 saying when to retry."""
    throttle = ExportRateThrottle()
    if throttle.allow_request(request, None):
        return None
    seconds = max(int(throttle.wait() + 0.999), 1)
    message = _("Too many downloads: please try again in %(seconds)s seconds.") % {"seconds": seconds}
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8",
                        headers={"Retry-After": str(seconds)})
