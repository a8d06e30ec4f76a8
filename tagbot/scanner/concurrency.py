"""Adaptive per-host concurrency (AIMD, as TCP and Netflix's concurrency-limits do).

A fixed requests/s cap is either too slow for a fast registry or too fast for a strict one
(issue 17). Instead each host gets a window of requests in flight, as TCP's congestion window:
it doubles every round trip until the host first pushes back (slow start), then grows by one
per window of answers, and halves when the registry says it is overloaded (429, 503) or a
request gets no answer. A `Retry-After` or an
exhausted `RateLimit-*` budget pauses the whole host, so the request that was refused is not
refused again when it is retried.
"""

from __future__ import annotations

import threading
import time
from typing import Literal

from tagbot.errors import RegistryError

START = 4  # requests in flight before the host has told us anything
# How a try ended: answered, answered "slow down" (429, 503), or no answer at all.
Outcome = Literal["ok", "overload", "failed"]


class HostWindow:
    """How many requests may be in flight to one host, adapted to its answers; thread-safe."""

    def __init__(self, host: str, ceiling: int) -> None:
        self.host = host
        self.ceiling = max(1, ceiling)
        self.limit = float(min(START, self.ceiling))
        self.in_flight = 0
        self._paused_until = 0.0
        self._last_decrease = 0.0
        self._retries = 0  # retries waiting for a slot: they go first
        self._slow_start = True
        self._cond = threading.Condition()

    def acquire(self, deadline: float | None, *, retry: bool = False) -> float:
        """Wait for a slot (and the end of any pause); the start time to pass to `release`.

        A `retry` (a request the host refused or failed) goes before new requests, so that
        the budget a pause renews serves it first and it is not refused twice.
        """
        with self._cond:
            self._retries += retry
            try:
                return self._wait(deadline, retry)
            finally:
                self._retries -= retry
                if retry:
                    self._cond.notify_all()  # new requests held back for this retry may go

    def _wait(self, deadline: float | None, retry: bool) -> float:
        while True:
            now = time.monotonic()
            if deadline is not None and now >= deadline:
                raise RegistryError(
                    f"deadline reached before a request to {self.host} was sent", transient=True
                )
            wait = self._paused_until - now
            turn = retry or self._retries == 0
            if wait <= 0 and turn and self.in_flight < int(self.limit):
                self.in_flight += 1
                return now
            if wait <= 0:
                wait = 1.0  # woken by `release`; the timeout only re-checks the deadline
            if deadline is not None:
                wait = min(wait, deadline - now)
            self._cond.wait(wait)

    def release(self, started: float, outcome: Outcome) -> None:
        """Free the slot; `outcome` is "ok", "overload" (429/503) or "failed" (no answer)."""
        with self._cond:
            self.in_flight -= 1
            if outcome == "ok":
                # Slow start (one more slot per answer: the window doubles each round trip)
                # until the host first pushes back, then additive increase (one per window).
                step = 1.0 if self._slow_start else 1.0 / self.limit
                self.limit = min(float(self.ceiling), self.limit + step)
            elif started >= self._last_decrease:
                self._slow_start = False
                # Multiplicative decrease, once per congestion event: answers to requests sent
                # before the last decrease say nothing about the smaller window.
                self.limit = max(1.0, self.limit / 2)
                self._last_decrease = time.monotonic()
            self._wake()

    def _wake(self) -> None:
        """Wake as many waiters as there are free slots (all of them when a retry waits)."""
        if self._retries:
            self._cond.notify_all()  # a woken new request could not take the slot: wake the retry
        else:
            self._cond.notify(max(1, int(self.limit) - self.in_flight))

    def pause(self, seconds: float) -> None:
        """Send nothing to the host for `seconds` (Retry-After, an exhausted rate budget)."""
        with self._cond:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
            self._cond.notify_all()

    def budget(self, remaining: int, reset: float) -> None:
        """The host's rate budget after an answer: pause until it renews if what is already
        in flight would spend it (so that no request is sent only to be refused)."""
        with self._cond:
            spent = remaining <= self.in_flight
        if spent:
            self.pause(reset)
