"""The Scanner: one per run, shared by every thread; lists each repository once."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from itertools import chain, zip_longest
from types import TracebackType
from typing import TypeVar

from tagbot.errors import RegistryError
from tagbot.models import ImageRef, RegistryOptions, TagList, TagTime
from tagbot.scanner import hosts, labels, manifest, pushtimes, sources, tags
from tagbot.scanner.client import Retry, Transport
from tagbot.scanner.memo import Memo
from tagbot.scanner.registry import Registry

DEFAULT_WORKERS = 16
log = logging.getLogger("tagbot.scanner")
V = TypeVar("V")


class Scanner:
    """Answers "which tags (and digests) does this repository have?" for any registry.

    `registries` are matched by host glob, first match wins; credentials come from the
    sources in `sources.SOURCES`, in order (`env` defaults to os.environ). After `deadline` (a
    `time.monotonic()` value), every unfinished request fails at once with a transient
    "deadline reached" RegistryError, and so does every new one.
    """

    def __init__(
        self,
        registries: Sequence[RegistryOptions] = (),
        *,
        workers: int = DEFAULT_WORKERS,
        retry: Retry | None = None,
        env: Mapping[str, str] | None = None,
        deadline: float | None = None,
    ) -> None:
        self._options = tuple(registries)
        self._env: Mapping[str, str] = os.environ if env is None else env
        self._workers = max(1, workers)
        pool_size = max(16, 2 * self._workers)
        self._transport = Transport(retry or Retry(), pool_size=pool_size, stop_at=deadline)
        self._registries: dict[str, Registry] = {}
        self._lock = threading.Lock()
        self._listings: Memo[str, TagList] = Memo()
        self._digests: Memo[tuple[str, str], str] = Memo()
        self._created: Memo[tuple[str, str], datetime | None] = Memo()
        self._pushed: Memo[tuple[str, str], TagTime | None] = Memo()
        self._push_apis: dict[str, pushtimes.PushTimes | None] = {}
        self._background: ThreadPoolExecutor | None = None
        self._prefetched: set[str] = set()
        self._ahead = 0  # listings submitted by `prefetch` and not finished

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
        """Stop listing ahead (what is under way finishes) and close the shared HTTP clients."""
        if self._background is not None:
            self._background.shutdown(wait=True, cancel_futures=True)
        self._transport.close()

    def prefetch(self, image: ImageRef) -> None:
        """Start listing the image's repository in the background, once; `list_tags` and
        `list_many` then find it listed or being listed. Never raises: failures are kept for
        the image like any other listing's."""
        registry = self._registry(image.registry)  # before the lock, which it takes too
        with self._lock:
            if image.name in self._prefetched:
                return
            self._prefetched.add(image.name)
            registry.expect([image.repository])  # its token may come with the next images'
            if self._background is None:
                self._background = ThreadPoolExecutor(
                    self._workers, thread_name_prefix="tagbot-ahead"
                )
            self._ahead += 1
            self._background.submit(self._list_one, image).add_done_callback(self._done_ahead)

    def _done_ahead(self, _: object) -> None:
        with self._lock:
            self._ahead -= 1

    def idle(self) -> bool:
        """True when no listing started by `prefetch` is waiting or under way."""
        return self._ahead == 0

    @property
    def request_count(self) -> dict[str, int]:
        """HTTP requests sent so far by kind: `ping`, `token`, `tags`, `manifest`, `blob`,
        `pushtime` (the vendors' push-time APIs)."""
        return self._transport.counts()

    def list_tags(self, image: ImageRef) -> TagList:
        """Every valid tag of the image's repository; listed once per Scanner, then cached."""
        bare = image.with_version(None, None)
        return self._listings.get(
            image.name,
            lambda: _handled(
                lambda: tags.list_tags(self._registry(image.registry), bare),
                image.registry,
                f"the tags of {image.repository!r}",
            ),
        )

    def get_digest(self, image: ImageRef, tag: str) -> str:
        """The digest the registry serves for `tag` (a multi-arch tag's index digest)."""
        return self._digests.get(
            (image.name, tag),
            lambda: _handled(
                lambda: manifest.get_digest(self._registry(image.registry), image, tag),
                image.registry,
                f"the digest of {image.repository}:{tag}",
            ),
        )

    def get_created(self, image: ImageRef, tag: str) -> datetime | None:
        """When the tag's image was built (its config's `created`); None when it does not say."""
        return self._created.get(
            (image.name, tag),
            lambda: _handled(
                lambda: manifest.get_created(self._registry(image.registry), image, tag),
                image.registry,
                f"the build time of {image.repository}:{tag}",
            ),
        )

    def get_pushed(self, image: ImageRef, tag: str) -> TagTime | None:
        """When the registry's push-time API (Docker Hub, Quay, Harbor, GitHub packages) says
        the tag was pushed; None when no API applies to the registry or it has no answer. It
        never raises: a failing API is a warning, and the caller falls back to `get_created`."""
        api = self._push_api(image.registry)
        if api is None:
            return None
        return self._pushed.get((image.name, tag), lambda: api.pushed(image.repository, tag))

    def get_labels(self, image: ImageRef, tag: str) -> dict[str, str]:
        """The OCI labels and annotations of the tag's image (`org.opencontainers.image.*`),
        for PR bodies; fetched only for the images that update."""
        return _handled(
            lambda: labels.get_labels(self._registry(image.registry), image, tag),
            image.registry,
            f"the labels of {image.repository}:{tag}",
        )

    def list_many(self, images: Iterable[ImageRef]) -> dict[str, TagList | RegistryError]:
        """List many repositories in parallel across hosts; a failure stays with its image.

        Images are taken in turns across hosts, so a slow host holds at most its share of the
        workers; each host's own window still bounds what is in flight to it.
        """
        unique: dict[str, ImageRef] = {}
        for image in images:
            unique.setdefault(image.name, image)
        if not unique:
            return {}
        self.expect(unique.values())
        workers = min(self._workers, len(unique))
        with ThreadPoolExecutor(workers, thread_name_prefix="tagbot-scan") as pool:
            futures = {i.name: pool.submit(self._list_one, i) for i in _interleaved(unique)}
        return {name: futures[name].result() for name in unique}

    def expect(self, images: Iterable[ImageRef]) -> None:
        """Say which repositories are about to be listed: a host with a Bearer challenge then
        asks for their tokens `token_batch` repositories at a time."""
        by_host: dict[str, list[str]] = {}
        for image in images:
            by_host.setdefault(image.registry, []).append(image.repository)
        for host, repositories in by_host.items():
            self._registry(host).expect(repositories)

    def _list_one(self, image: ImageRef) -> TagList | RegistryError:
        try:
            return self.list_tags(image)
        except RegistryError as exc:
            return exc

    def _registry(self, name: str) -> Registry:
        """The per-host state for `name`, created on first use."""
        with self._lock:
            found = self._registries.get(name)
            if found is None:
                options = hosts.options_for(name, self._options)
                found = self._registries[name] = Registry(name, options, self._transport, self._env)
            return found

    def _push_api(self, name: str) -> pushtimes.PushTimes | None:
        """The push-time API of registry `name`, decided on first use (None: none applies)."""
        with self._lock:
            if name not in self._push_apis:
                options = hosts.options_for(name, self._options)
                env = self._env
                self._push_apis[name] = pushtimes.for_registry(
                    name,
                    options,
                    hosts.base_url(name, options),
                    self._transport,
                    env,
                    lambda: sources.find_credentials(name, options, env),
                )
            return self._push_apis[name]


def _interleaved(images: Mapping[str, ImageRef]) -> list[ImageRef]:
    """The images in turns across their hosts: a1, b1, a2, b2, a3, ..."""
    by_host: dict[str, list[ImageRef]] = {}
    for image in images.values():
        by_host.setdefault(image.registry, []).append(image)
    rounds = zip_longest(*by_host.values())
    return [image for image in chain.from_iterable(rounds) if image is not None]


def _handled(compute: Callable[[], V], registry: str, what: str) -> V:
    """`compute()`, with any unexpected exception turned into a RegistryError for this image.

    A hostile answer (JSON nested a thousand deep, say) must cost one image, never the run
    (issue 18); the stack is logged at debug level for the bug report.
    """
    try:
        return compute()
    except RegistryError:
        raise
    except Exception as exc:
        log.debug("unexpected error handling a registry answer", exc_info=True)
        name = type(exc).__name__
        raise RegistryError(
            f"{registry}: could not handle the answer for {what} ({name})"
        ) from None
