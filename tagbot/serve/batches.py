"""The waiting images: events for one image coalesce, a quiet spell releases them as a batch."""

from __future__ import annotations

import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Batch:
    """Images to plan together, and when the oldest event among them arrived (monotonic);
    `exact`: the images a CI named an exact tag for (image -> `tag[@digest]`, the last wins)."""

    images: frozenset[str]
    since: float
    exact: Mapping[str, str] = field(default_factory=dict)


class Batches:
    """A bounded set of images waiting to be planned. `add` never blocks; `take` waits until
    no event came for `debounce` seconds (or the oldest waited `limit`), then hands all over."""

    def __init__(self, capacity: int, debounce: float, limit: float | None = None) -> None:
        self.capacity = capacity
        self.debounce = debounce
        self.limit = limit if limit is not None else max(10 * debounce, 30.0)
        self._waiting: dict[str, float] = {}  # image -> when its first waiting event came
        self._exact: dict[str, str] = {}  # image -> the version a CI asked for
        self._last = 0.0
        self._closed = False
        self._cond = threading.Condition()

    def __len__(self) -> int:
        with self._cond:
            return len(self._waiting)

    def add(self, images: Collection[str], exact: Mapping[str, str] | None = None) -> bool:
        """Queue `images` (those already waiting coalesce), with the exact versions asked for
        some; False, queuing none, when the new ones would not fit or the queue is closed."""
        now = time.monotonic()
        with self._cond:
            new = [i for i in images if i not in self._waiting]
            if self._closed or len(self._waiting) + len(new) > self.capacity:
                return False
            for image in new:
                self._waiting[image] = now
            self._exact.update(exact or {})
            self._last = now
            self._cond.notify_all()
            return True

    @property
    def closed(self) -> bool:
        """True once `close` was called."""
        return self._closed

    def take(self, timeout: float | None = None) -> Batch | None:
        """Wait for a batch; None after `timeout` seconds without one, or once closed."""
        end = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while True:
                if self._closed:
                    return None
                if not self._waiting:
                    left = None if end is None else end - time.monotonic()
                    if left is not None and left <= 0:
                        return None
                    self._cond.wait(left)
                    continue
                now = time.monotonic()
                oldest = min(self._waiting.values())
                due = min(self._last + self.debounce, oldest + self.limit)
                if now >= due:
                    batch = Batch(frozenset(self._waiting), oldest, dict(self._exact))
                    self._waiting.clear()
                    self._exact.clear()
                    return batch
                self._cond.wait(due - now)

    def close(self) -> int:
        """Stop handing out batches; the number of images that were still waiting."""
        with self._cond:
            self._closed = True
            dropped = len(self._waiting)
            self._waiting.clear()
            self._exact.clear()
            self._cond.notify_all()
            return dropped
