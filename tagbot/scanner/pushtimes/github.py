"""GHCR through the GitHub packages API: `GET /orgs/{owner}/packages/container/{package}/versions`
(or `/users/{owner}/...` for a personal account), paginated by the `Link` header.

The answer (GitHub REST "List package versions for a package owned by an organization", API
version 2022-11-28): `[{"id": 212381245, "name": "sha256:...", "created_at":
"2024-05-06T05:20:30Z", "updated_at": "2024-05-06T05:20:30Z", "metadata": {"package_type":
"container", "container": {"tags": ["1.2.0", "latest"]}}, ...}]`, newest first, with
`Link: <...&page=2>; rel="next"`. A version is one manifest digest; its `updated_at` moves when
a tag is put on it, so it is the tag's push time (`created_at` when absent). A package name
with a slash (`team/api`) is URL-encoded. Packages need a token with `read:packages` even when
public: `push_times_token_env`, else the ghcr.io login's password (a PAT or GITHUB_TOKEN).
One walk per package and run: the pages read are kept, and paging stops at the tag asked for.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote

import httpx

from tagbot.errors import RegistryError
from tagbot.scanner.paging import next_url
from tagbot.scanner.pushtimes.api import Api, rfc3339

LABEL = "GitHub packages"
BASE = "https://api.github.com"
PER_PAGE = 100  # GitHub's maximum
log = logging.getLogger("tagbot.scanner")


@dataclass
class _Walk:
    """The versions of one package read so far: tag -> push time, and the page to read next."""

    name: str  # `owner/package`, for messages
    urls: list[str]  # first pages to try: the organisation's, then the user's
    found: dict[str, datetime] = field(default_factory=dict)
    next: httpx.URL | None = None
    pages: int = 0
    failed: RegistryError | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


def pushed(api: Api, repository: str, tag: str) -> datetime | None:
    """When `tag` was last put on a version of the package; None when no version has it."""
    owner, _, package = repository.partition("/")
    token = _token(api)
    if not package or token is None:
        return None
    walk = _walk_of(api, owner, package)
    with walk.lock:
        if walk.failed is not None:
            raise walk.failed  # one failure per package and run, not one per tag
        try:
            while tag not in walk.found and _read_page(api, walk, f"Bearer {token}"):
                pass
        except RegistryError as exc:
            walk.failed = exc
            raise
        return walk.found.get(tag)


def _walk_of(api: Api, owner: str, package: str) -> _Walk:
    encoded = quote(package, safe="")
    query = f"?per_page={PER_PAGE}"
    urls = [
        f"{api.base}/{kind}/{quote(owner, safe='')}/packages/container/{encoded}/versions{query}"
        for kind in ("orgs", "users")
    ]
    with api.lock:
        walk = api.store.setdefault(f"github:{owner}/{package}", _Walk(f"{owner}/{package}", urls))
    assert isinstance(walk, _Walk)
    return walk


def _read_page(api: Api, walk: _Walk, authorization: str) -> bool:
    """Read the next page into `walk`; False when there is none left to read."""
    if walk.pages >= api.site.options.page_cap:
        return False
    if walk.pages == 0:
        reply = None
        for url in walk.urls:  # an organisation's package, else a user's
            reply = api.get(url, authorization)
            if reply.status != 404:
                break
    elif walk.next is not None:
        reply = api.get(str(walk.next), authorization)
    else:
        return False
    assert reply is not None
    walk.pages += 1
    walk.next = None
    if reply.status == 404:
        return False  # no such package for the organisation or the user
    if reply.status != 200:
        raise api.error(reply, f"the versions of package {walk.name!r}")
    versions = api.payload(reply, "a page of package versions")
    for version in versions if isinstance(versions, list) else []:
        _note(walk, version)
    walk.next = next_url(reply.headers.get_list("link"), reply.url, api.host)
    return walk.next is not None


def _note(walk: _Walk, version: object) -> None:
    """Record the tags of one version with its time (the first, newest, version wins)."""
    if not isinstance(version, dict):
        return
    metadata = version.get("metadata")
    container = metadata.get("container") if isinstance(metadata, dict) else None
    tags = container.get("tags") if isinstance(container, dict) else None
    when = rfc3339(version.get("updated_at")) or rfc3339(version.get("created_at"))
    if when is None or not isinstance(tags, list):
        return
    for tag in tags:
        if isinstance(tag, str):
            walk.found.setdefault(tag, when)


def _token(api: Api) -> str | None:
    """The configured token, else the ghcr.io login's password; None (said once) without."""
    if api.token:
        return api.token
    found = api.credentials()
    if found is not None and found.password:
        return found.password
    with api.lock:
        if not api.store.get("github:said"):
            api.store["github:said"] = True
            log.info("no token for the GitHub packages API", extra={"host": api.host})
    return None
