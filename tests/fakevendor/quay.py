"""A fake Quay API: `GET /api/v1/repository/{namespace}/{repository}/tag/` with `specificTag`
and `onlyActiveTags`, answering as Quay's `ListRepositoryTags` does; a tag moved away from a
manifest stays in the history with `end_ts`, as on Quay."""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import unquote

from tests.fakeforge.server import Handler, Reply
from tests.fakevendor.base import VendorFake


class FakeQuay(VendorFake):
    """Quay whose `history[(repository, tag)]` lists dead (moved) versions of a tag."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[tuple[str, str], list[tuple[datetime, datetime]]] = {}
        self.epoch_only = True  # False: answer without `start_ts` (only `last_modified`)

    def routes(self) -> list[tuple[str, str, Handler]]:
        return [("GET", r"/api/v1/repository/(.+)/tag/", self._tags)]

    def _tags(self, path: str, *, query: dict[str, str], **_: Any) -> Reply:
        repository = unquote(path)
        if not any(repo == repository for repo, _tag in self.pushed):
            return 404, {"detail": "Not Found", "error_message": "Not Found", "status": 404}
        wanted = query.get("specificTag")
        active = query.get("onlyActiveTags", "false").lower() == "true"
        tags = []
        for (repo, tag), start in sorted(self.pushed.items()):
            if repo == repository and (not wanted or tag == wanted):
                tags.append(self._entry(tag, start, None))
                dead = [] if active else self.history.get((repo, tag), [])
                tags += [self._entry(tag, s, e) for s, e in dead]
        return 200, {"tags": tags, "page": 1, "has_additional": False}

    def _entry(self, tag: str, start: datetime, end: datetime | None) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": tag, "reversion": False, "manifest_digest": "sha256:" + "3" * 64,
            "is_manifest_list": False, "size": 1234,
            "last_modified": format_datetime(start).replace("+0000", "-0000"),
        }  # fmt: skip
        if self.epoch_only:
            entry["start_ts"] = int(start.timestamp())
        if end is not None:
            entry["end_ts"] = int(end.timestamp())
            entry["expiration"] = format_datetime(end)
        return entry
