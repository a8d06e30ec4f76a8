"""A per-host circuit breaker: a host that stopped answering is given up for the rest of the run.

Without it a black-hole registry (accepts TCP, never answers) cost every image its own round of
timeouts, one image after another (issue 11: 4 images, 485 s).
"""

from __future__ import annotations

import logging
import threading

from tagbot.errors import RegistryError

log = logging.getLogger("tagbot.scanner")


class Breaker:
    """Counts a host's failed tries in a row; at `threshold`, or on `trip`, the host is open."""

    def __init__(self, host: str, threshold: int) -> None:
        self.host = host
        self.threshold = max(1, threshold)
        self._streak = 0
        self._first: str | None = None  # the first failure of the current streak
        self._open: RegistryError | None = None
        self._lock = threading.Lock()

    def check(self) -> None:
        """Raise the error that opened the breaker, if it is open."""
        error = self._open
        if error is not None:
            raise RegistryError(str(error), transient=error.transient, status=error.status)

    def success(self) -> None:
        """The host answered (whatever the status): the streak is over."""
        with self._lock:
            self._streak, self._first = 0, None

    def failure(self, reason: str) -> None:
        """A try timed out or could not connect; opens the breaker at `threshold` in a row."""
        with self._lock:
            self._streak += 1
            self._first = self._first or reason
            if self._streak < self.threshold or self._open is not None:
                return
            first, streak = self._first, self._streak
        self.trip(RegistryError(first, transient=True), f"{streak} failures in a row")

    def trip(self, error: RegistryError, why: str) -> None:
        """Open the breaker with `error`: every later request to the host fails with it at once."""
        with self._lock:
            if self._open is not None:
                return
            message = f"{error} (gave up on {self.host} for this run after {why})"
            self._open = RegistryError(message, transient=error.transient, status=error.status)
        log.warning(
            "registry given up for this run", extra={"host": self.host, "reason": str(error)}
        )
