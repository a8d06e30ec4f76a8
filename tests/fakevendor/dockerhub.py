"""A fake Docker Hub API: `GET /v2/namespaces/{ns}/repositories/{repo}/tags/{tag}` and the
JWT login `POST /v2/users/login`; repositories in `private` need the login's JWT."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from tests.fakeforge.server import Handler, Reply
from tests.fakevendor.base import VendorFake

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.ZmFrZS1odWItand0"


class FakeDockerHub(VendorFake):
    """Docker Hub with one account (`users`) whose login yields `JWT`."""

    def __init__(self, users: dict[str, str] | None = None) -> None:
        super().__init__()
        self.users = users or {}
        self.private: set[str] = set()
        self.logins = 0

    def routes(self) -> list[tuple[str, str, Handler]]:
        return [
            ("GET", r"/v2/namespaces/([^/]+)/repositories/(.+)/tags/([^/]+)", self._tag),
            ("POST", r"/v2/users/login", self._login),
        ]

    def _login(self, query: dict[str, str], data: dict[str, Any]) -> Reply:
        self.logins += 1
        if self.users.get(data.get("username", "")) != data.get("password"):
            return 401, {"detail": "Incorrect authentication credentials"}
        return 200, {"token": JWT}

    def _tag(self, ns: str, repo: str, tag: str, **_: Any) -> Reply:
        repository = f"{unquote(ns)}/{unquote(repo)}"
        if repository in self.private and self.auth != f"Bearer {JWT}":
            return 401, {"detail": "authentication required"}
        when = self.pushed.get((repository, unquote(tag)))
        if when is None:
            return 404, {"message": "httperror 404: object not found", "errinfo": {}}
        stamp = when.isoformat().replace("+00:00", "Z")
        return 200, {
            "creator": 7, "id": 42, "images": [{"architecture": "amd64", "os": "linux",
            "digest": "sha256:" + "1" * 64, "last_pushed": stamp, "status": "active"}],
            "last_updated": stamp, "last_updater": 7, "last_updater_username": "ci",
            "name": unquote(tag), "repository": 9, "full_size": 1234, "v2": True,
            "tag_status": "active", "tag_last_pulled": stamp, "tag_last_pushed": stamp,
            "media_type": "application/vnd.oci.image.index.v1+json",
            "content_type": "image", "digest": "sha256:" + "2" * 64,
        }  # fmt: skip
