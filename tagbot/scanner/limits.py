"""Politeness towards registries: a per-host request rate limit and retry delays with jitter."""

from __future__ import annotations

import random
import threading
import time
from email.utils import parsedate_to_datetime


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

    def acquire(self) -> None:
        """Block until one more request may be sent."""
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
