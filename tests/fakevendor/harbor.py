"""A fake Harbor API: `GET /api/v2.0/projects/{project}/repositories/{repo}/artifacts/{tag}`
behind Basic auth, the repository name URL-encoded twice as Harbor's swagger asks."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta
from email.message import Message
from typing import Any
from urllib.parse import unquote

from tests.fakeforge.server import Handler, Reply
from tests.fakevendor.base import VendorFake


def _stamp(when: datetime) -> str:
    return when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FakeHarbor(VendorFake):
    """Harbor whose artifacts are pushed an hour before their tag (`push_time` of each)."""

    def __init__(self, users: dict[str, str] | None = None) -> None:
        super().__init__()
        self.users = users or {}
        self.paths: list[str] = []  # the raw repository segment of each request

    def routes(self) -> list[tuple[str, str, Handler]]:
        pattern = r"/api/v2.0/projects/([^/]+)/repositories/([^/]+)/artifacts/([^/]+)"
        return [("GET", pattern, self._artifact)]

    def authorized(self, headers: Message, path: str) -> bool:
        scheme, _, value = (headers.get("Authorization") or "").partition(" ")
        if scheme != "Basic":
            return False
        user, _, password = base64.b64decode(value).decode().partition(":")
        return bool(self.users) and self.users.get(user) == password

    def unauthorized(self) -> Reply:
        return 401, {"errors": [{"code": "UNAUTHORIZED", "message": "unauthorized"}]}

    def _artifact(self, project: str, repo: str, tag: str, **_: Any) -> Reply:
        self.paths.append(repo)
        name = unquote(unquote(repo))  # `a%252Fb` -> `a/b`
        when = self.pushed.get((f"{unquote(project)}/{name}", unquote(tag)))
        if when is None:
            message = f"artifact {project}/{name}:{tag} not found"
            return 404, {"errors": [{"code": "NOT_FOUND", "message": message}]}
        return 200, {
            "id": 5, "type": "IMAGE", "media_type": "application/vnd.oci.image.config.v1+json",
            "manifest_media_type": "application/vnd.oci.image.manifest.v1+json",
            "project_id": 2, "repository_id": 3, "digest": "sha256:" + "4" * 64, "size": 1234,
            "push_time": _stamp(when - timedelta(hours=1)), "pull_time": _stamp(when),
            "tags": [
                {"id": 1, "repository_id": 3, "artifact_id": 5, "name": "other",
                 "push_time": _stamp(when - timedelta(hours=1)), "immutable": False},
                {"id": 2, "repository_id": 3, "artifact_id": 5, "name": unquote(tag),
                 "push_time": _stamp(when), "pull_time": _stamp(when), "immutable": False},
            ],
        }  # fmt: skip
