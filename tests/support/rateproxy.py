"""A proxy with real-world latency and a rate limit: 50 ms round trips, 429 beyond a rate."""

from __future__ import annotations

import math
import threading
import time
from collections import Counter

from tests.support.proxies import Answer, Proxy


class RateProxy(Proxy):
    """Adds `latency` seconds to every answer and refuses requests beyond `rate` per second.

    A token bucket of `burst` requests refills at `rate`; an empty bucket answers 429 with
    `Retry-After` (whole seconds, as HTTP wants). With `headers`, every answer also carries the
    IETF draft's `RateLimit-Remaining` and `RateLimit-Reset`, as GitHub's and Docker Hub's do.
    `refused` counts the 429s per path: a client that honours them never has one refused twice.
    """

    def __init__(
        self,
        upstream: str,
        *,
        rate: float,
        burst: int,
        latency: float = 0.05,
        headers: bool = False,
        bind: str = "127.0.0.1",
    ) -> None:
        super().__init__(upstream, bind)
        self.rate, self.burst, self.latency, self.headers = rate, burst, latency, headers
        self.refused: Counter[str] = Counter()
        self.answered = 0
        self._tokens = float(burst)
        self._stamp = time.monotonic()
        self._bucket = threading.Lock()

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Answer:
        time.sleep(self.latency)  # the round trip a remote registry costs
        allowed, remaining = self._take()
        limits = self._limit_headers(remaining)
        if not allowed:
            self.record(method, path, headers, "429")
            with self._lock:
                self.refused[path] += 1
            after = str(max(1, math.ceil(1.0 / self.rate)))
            return Answer(429, [("Retry-After", after), *limits], b'{"errors":[]}')
        answer = super().answer(method, path, headers, body)
        with self._lock:
            self.answered += 1
        answer.headers.extend(limits)
        return answer

    def _take(self) -> tuple[bool, int]:
        with self._bucket:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            if self._tokens < 1.0:
                return False, 0
            self._tokens -= 1.0
            return True, int(self._tokens)

    def _limit_headers(self, remaining: int) -> list[tuple[str, str]]:
        if not self.headers:
            return []
        reset = max(1, math.ceil(1.0 / self.rate))  # whole seconds until a request is allowed
        return [
            ("RateLimit-Limit", str(self.burst)),
            ("RateLimit-Remaining", str(remaining)),
            ("RateLimit-Reset", str(reset)),
        ]
