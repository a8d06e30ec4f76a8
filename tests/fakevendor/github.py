"""A fake GitHub packages API: `GET /{orgs|users}/{owner}/packages/container/{package}/versions`,
newest version first, paginated with a `Link: <...>; rel="next"` header as GitHub does."""

from __future__ import annotations

import json
import re
from datetime import datetime
from email.message import Message
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from tests.fakeforge.server import Handler, RawReply
from tests.fakevendor.base import VendorFake

_VERSIONS = re.compile(r"/(orgs|users)/([^/]+)/packages/container/([^/]+)/versions")
TOKEN = "ghp_fakepackagesreadtoken"


class FakeGitHubPackages(VendorFake):
    """Packages of organisation `org` and user `user`; each version carries `tags`. At most
    `page_size` versions a page, whatever `per_page` asks, so tests see several pages."""

    def __init__(self, org: str = "acme", user: str = "alice", page_size: int = 2) -> None:
        super().__init__()
        self.owners = {"orgs": org, "users": user}
        self.page_size = page_size
        self.versions: dict[str, list[dict[str, Any]]] = {}  # package -> versions, newest first
        self.pages: list[str] = []  # `kind/owner/package?page=N` of each page, as asked

    def routes(self) -> list[tuple[str, str, Handler]]:
        return []

    def version(self, package: str, tags: list[str], created: datetime, updated: datetime) -> None:
        """Add a version (a manifest digest) of `package` carrying `tags`, newest so far."""
        number = sum(len(v) for v in self.versions.values()) + 1
        stamp = {"created_at": _stamp(created), "updated_at": _stamp(updated)}
        self.versions.setdefault(package, []).insert(0, {
            "id": 1000 + number, "name": f"sha256:{number:064x}",
            "url": f"https://api.github.com/orgs/acme/packages/container/{package}/versions/{number}",
            "package_html_url": f"https://github.com/orgs/acme/packages/container/package/{package}",
            **stamp, "html_url": f"https://github.com/orgs/acme/packages/container/{package}/{number}",
            "metadata": {"package_type": "container", "container": {"tags": tags}},
        })  # fmt: skip

    def raw(self, method: str, raw: str, headers: Message, body: bytes) -> RawReply | None:
        failed = super().raw(method, raw, headers, body)
        if failed is not None:
            return failed
        parts = urlsplit(raw)
        match = _VERSIONS.fullmatch(parts.path)
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            return _json(401, {"message": "Requires authentication"})
        if method != "GET" or match is None:
            return _json(404, {"message": "Not Found"})
        kind, owner, package = match.group(1), unquote(match.group(2)), unquote(match.group(3))
        if self.owners[kind] != owner or package not in self.versions:
            return _json(404, {"message": "Package not found."})
        page = int(parse_qs(parts.query).get("page", ["1"])[0])
        self.pages.append(f"{kind}/{match.group(2)}/{match.group(3)}?page={page}")
        versions = self.versions[package]
        start = (page - 1) * self.page_size
        found = versions[start : start + self.page_size]
        link = {}
        if start + self.page_size < len(versions):
            nxt = f"{self.origin}{parts.path}?per_page=100&page={page + 1}"
            link = {"Link": f'<{nxt}>; rel="next", <{self.origin}{parts.path}?page=99>; rel="last"'}
        return _json(200, found, link)


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _json(status: int, data: Any, headers: dict[str, str] | None = None) -> RawReply:
    return (
        status,
        {"Content-Type": "application/json", **(headers or {})},
        json.dumps(data).encode(),
    )
