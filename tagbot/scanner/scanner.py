"""The Scanner: one per run, shared by every thread; lists each repository once."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from types import TracebackType

from tagbot.errors import RegistryError
from tagbot.models import ImageRef, RegistryOptions, TagList
from tagbot.scanner import hosts, manifest, tags
from tagbot.scanner.client import Retry, Transport
from tagbot.scanner.memo import Memo
from tagbot.scanner.registry import Registry

DEFAULT_WORKERS = 8


class Scanner:
    """Answers "which tags (and digests) does this repository have?" for any registry.

    `registries` are matched by host glob, first match wins; credentials come from the env
    vars they name, then the docker config, then CI conventions (`env` defaults to os.environ).
    """

    def __init__(
        self,
        registries: Sequence[RegistryOptions] = (),
        *,
        workers: int = DEFAULT_WORKERS,
        retry: Retry | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self._options = tuple(registries)
        self._env: Mapping[str, str] = os.environ if env is None else env
        self._workers = max(1, workers)
        self._transport = Transport(retry or Retry(), pool_size=max(16, 2 * self._workers))
        self._registries: dict[str, Registry] = {}
        self._lock = threading.Lock()
        self._listings: Memo[str, TagList] = Memo()
        self._digests: Memo[tuple[str, str], str] = Memo()
        self._created: Memo[tuple[str, str], datetime | None] = Memo()

    def __enter__(self) -> Scanner:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the shared HTTP clients."""
        self._transport.close()

    @property
    def request_count(self) -> dict[str, int]:
        """HTTP requests sent so far by kind: `ping`, `token`, `tags`, `manifest`, `blob`."""
        return self._transport.counts()

    def list_tags(self, image: ImageRef) -> TagList:
        """Every valid tag of the image's repository; listed once per Scanner, then cached."""
        bare = image.with_version(None, None)
        return self._listings.get(
            image.name, lambda: tags.list_tags(self._registry(image.registry), bare)
        )

    def get_digest(self, image: ImageRef, tag: str) -> str:
        """The digest the registry serves for `tag` (a multi-arch tag's index digest)."""
        return self._digests.get(
            (image.name, tag),
            lambda: manifest.get_digest(self._registry(image.registry), image, tag),
        )

    def get_created(self, image: ImageRef, tag: str) -> datetime | None:
        """When the tag's image was built (its config's `created`); None when it does not say."""
        return self._created.get(
            (image.name, tag),
            lambda: manifest.get_created(self._registry(image.registry), image, tag),
        )

    def list_many(self, images: Iterable[ImageRef]) -> dict[str, TagList | RegistryError]:
        """List many repositories on a bounded worker pool; a failure stays with its image."""
        unique: dict[str, ImageRef] = {}
        for image in images:
            unique.setdefault(image.name, image)
        results: dict[str, TagList | RegistryError] = {}
        if not unique:
            return results
        workers = min(self._workers, len(unique))
        with ThreadPoolExecutor(workers, thread_name_prefix="tagbot-scan") as pool:
            futures = {name: pool.submit(self.list_tags, image) for name, image in unique.items()}
            for name, future in futures.items():
                try:
                    results[name] = future.result()
                except RegistryError as exc:
                    results[name] = exc
        return results

    def _registry(self, name: str) -> Registry:
        """The per-host state for `name`, created on first use."""
        with self._lock:
            found = self._registries.get(name)
            if found is None:
                options = hosts.options_for(name, self._options)
                found = self._registries[name] = Registry(name, options, self._transport, self._env)
            return found
