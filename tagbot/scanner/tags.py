"""List one repository's tags: follow pages up to a cap, keep only tags the OCI grammar allows."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

import httpx

from tagbot.errors import RegistryError
from tagbot.imageref import valid_tag
from tagbot.models import ImageRef, Tag, TagList
from tagbot.scanner import paging
from tagbot.scanner.auth import pull_scope
from tagbot.scanner.client import Reply
from tagbot.scanner.limits import backoff_delay
from tagbot.scanner.registry import Registry

log = logging.getLogger("tagbot.scanner")

PAGE_LIMIT = 8 * 1024 * 1024
# Quay answers 413 to an `n` above its maximum (quay/quay#2884), ECR 400 above 1000.
_SIZE_REFUSED = (400, 413)
_SHOWN = 3  # how many dropped tags a warning quotes


def list_tags(registry: Registry, image: ImageRef) -> TagList:
    """Every valid tag of `image`'s repository, in registry order, without duplicates."""
    first = httpx.URL(f"{registry.base}/v2/{image.repository}/tags/list")
    if registry.page_size is not None:
        first = first.copy_with(params={"n": registry.page_size})
    url: httpx.URL | None = first
    names: dict[str, None] = {}
    dropped: list[str] = []
    dropped_more = 0
    seen: set[str] = set()
    while url is not None:
        if len(seen) >= registry.options.page_cap:
            log.warning(
                "tag list truncated at the page cap",
                extra={"image": image.name, "pages": len(seen), "tags": len(names)},
            )
            break
        seen.add(str(url))
        reply, page = _read_page(registry, image, url)
        if len(names) + len(page) > registry.options.max_tags:
            raise _too_many(registry, image)
        for name in page:
            if valid_tag(name):
                names.setdefault(name, None)
            elif len(dropped) < _SHOWN:
                dropped.append(name)
            else:
                dropped_more += 1
        del page  # keep memory to what is kept: the next page replaces this one
        url = paging.next_url(reply.headers.get_list("link"), reply.url, registry.name)
        del reply
        if url is not None and str(url) in seen:
            log.warning("tag list pages loop; stopping", extra={"image": image.name})
            break
    log.debug("listed tags", extra={"image": image.name, "tags": len(names), "pages": len(seen)})
    if dropped:
        log.warning(
            "dropped tags that break the OCI tag grammar",
            extra={
                "image": image.name,
                "count": len(dropped) + dropped_more,
                "examples": ", ".join(_shown(t) for t in dropped[:_SHOWN]),
            },
        )
    return TagList(image, tuple(Tag(name) for name in names))


def _read_page(registry: Registry, image: ImageRef, url: httpx.URL) -> tuple[Reply, list[str]]:
    """One page and its tags; a malformed body is transient (a proxy's fault) and asked again.

    A 200 that is not a tag list was the main cause of lost updates under injected faults
    (issue 18): retried like a 5xx, then reported as transient.
    """
    attempt = 0
    while True:
        reply = _get_page(registry, image, url)
        try:
            return reply, _page_tags(reply.body, registry.name)
        except RegistryError as exc:
            if attempt >= registry.retry.attempts:
                raise RegistryError(str(exc), transient=True) from None
            delay = backoff_delay(attempt, registry.retry.backoff)
            log.info("retrying", extra={"host": registry.name, "kind": "tags", "error": str(exc)})
        attempt += 1
        registry.check_deadline()
        time.sleep(delay)


def _too_many(registry: Registry, image: ImageRef) -> RegistryError:
    """The problem for a repository with more tags than `max_tags` allows."""
    limit = registry.options.max_tags
    return RegistryError(
        f"{registry.name}: repository {image.repository!r} has more than {limit} tags; "
        f"not listed (raise max_tags for this registry to list it)"
    )


def _get_page(registry: Registry, image: ImageRef, url: httpx.URL) -> Reply:
    """One page; if the registry refuses our page size, ask again with its default size."""
    scope = pull_scope(image.repository)
    reply = registry.fetch("tags", str(url), scope=scope, limit=PAGE_LIMIT)
    if reply.status in _SIZE_REFUSED and "n" in url.params:
        registry.page_size = None  # remembered for this registry's other repositories
        log.info("registry refused the page size", extra={"registry": registry.name})
        reply = registry.fetch(
            "tags", str(url.copy_remove_param("n")), scope=scope, limit=PAGE_LIMIT
        )
    if reply.status != 200:
        raise registry.error(reply, f"repository {image.repository!r}")
    return reply


def _page_tags(body: bytes, registry: str) -> list[str]:
    """The `tags` array of one page; null is an empty repository, anything else is malformed."""
    try:
        doc: Any = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested a thousand deep (issue 18)
        raise RegistryError(f"{registry}: tag list is not JSON") from None
    if not isinstance(doc, dict):
        raise RegistryError(f"{registry}: tag list is not a JSON object")
    tags = doc.get("tags")
    if tags is None:
        return []
    if not isinstance(tags, list):
        raise RegistryError(f"{registry}: tag list has no `tags` array")
    # A non-string entry is as untrusted as a bad name: drop it with the others.
    return [t if isinstance(t, str) else f"<{type(t).__name__}>" for t in tags]


def _shown(tag: str) -> str:
    """A dropped tag, quoted and cut short, safe to put in a log line."""
    return ascii(tag[:40] + ("..." if len(tag) > 40 else ""))
