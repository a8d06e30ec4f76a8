"""Politeness towards registries: an optional fixed rate, retry delays, rate-limit headers."""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from tagbot.errors import RegistryError

# An epoch time rather than a delta: GitHub-style `X-RateLimit-Reset` sends seconds since 1970.
_EPOCH = 1_000_000_000
_LEADING_NUMBER = re.compile(r"^\s*(\d+)")
_PARAMS = re.compile(r"\b([a-z]+)\s*=\s*(\d+)")


class RateLimiter:
    """A token bucket: `rate` requests per second with a burst of one second's worth; thread-safe.

    A rate of zero or less disables the limit.
    """

    def __init__(self, rate: float) -> None:
        self.rate = rate
        self._capacity = max(1.0, rate)
        self._tokens = self._capacity
        self._stamp = time.monotonic()
        self._lock = threading.Lock()

    def acquire(self, deadline: float | None = None) -> None:
        """Block until one more request may be sent; raise if that is after `deadline`."""
        if self.rate <= 0:
            return
        with self._lock:
            now = time.monotonic()
            refill = (now - self._stamp) * self.rate
            self._tokens = min(self._capacity, self._tokens + refill)
            self._stamp = now
            # Going into debt reserves a slot: concurrent callers queue up in order.
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if deadline is not None and time.monotonic() + wait >= deadline:
            raise RegistryError("deadline reached waiting for the request rate cap", transient=True)
        if wait > 0:
            time.sleep(wait)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP-date), else None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt: int, base: float, cap: float = 30.0) -> float:
    """Exponential backoff with full jitter (AWS architecture blog): uniform in [0, base*2^n]."""
    return random.uniform(0.0, min(cap, base * 2.0**attempt))


def rate_budget(headers: Mapping[str, str]) -> tuple[int, float] | None:
    """What a host says is left of its rate budget: (requests left, seconds until it renews).

    Reads `RateLimit-Remaining`/`-Reset` (IETF httpapi draft, also Docker Hub's `76;w=21600`
    form), the combined `RateLimit: remaining=0, reset=5` (draft 07) or `"default";r=0;t=5`
    (draft 08) field, and `X-RateLimit-Remaining`/`-Reset` (delta seconds, or an epoch time as
    GitHub sends). None when the answer does not say both.
    """
    remaining, reset = None, None
    combined = headers.get("ratelimit", "")
    if combined:
        params = dict(_PARAMS.findall(combined.lower()))
        remaining = _int(params.get("remaining") or params.get("r"))
        reset = _int(params.get("reset") or params.get("t"))
    for prefix in ("ratelimit-", "x-ratelimit-"):
        if remaining is None:
            remaining = _int(headers.get(prefix + "remaining"))
        if reset is None:
            reset = _int(headers.get(prefix + "reset"))
    if remaining is None or reset is None:
        return None
    if reset >= _EPOCH:
        return remaining, max(0.0, reset - time.time())
    return remaining, float(reset)


def _int(value: str | None) -> int | None:
    match = _LEADING_NUMBER.match(value) if value else None
    return int(match.group(1)) if match else None
