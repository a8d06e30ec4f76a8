"""A thread-safe single-flight cache: each key is computed once per run, failures included."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Generic, TypeVar

from tagbot.errors import RegistryError

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """Values by key; threads asking for a key being computed wait for that one computation."""

    def __init__(self) -> None:
        self._futures: dict[K, Future[V]] = {}
        self._lock = threading.Lock()

    def get(self, key: K, compute: Callable[[], V]) -> V:
        """The value for `key`, computing it on first use; a RegistryError is remembered too."""
        with self._lock:
            future = self._futures.get(key)
            owner = future is None
            if future is None:
                future = self._futures[key] = Future()
        if owner:
            try:
                future.set_result(compute())
            except RegistryError as exc:
                future.set_exception(exc)  # asking the registry again this run would fail again
            except BaseException as exc:
                with self._lock:
                    del self._futures[key]  # a bug or an interrupt: do not pin it to the key
                future.set_exception(exc)
        return future.result()
