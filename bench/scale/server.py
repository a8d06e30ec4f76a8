"""The registry of the scale scenario: Debian's docker-registry with its access log on, and the
requests it served counted by kind (tokens are counted by the token server)."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tests.support.registry import RegistryServer

# distribution's access log is Apache's combined format: `"GET /v2/... HTTP/1.1" 200 ...`.
_REQUEST = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) HTTP/[\d.]+" (?P<status>\d{3}) ')
KINDS = ("ping", "token", "tags", "manifest", "blob", "other")


def kind_of(path: str) -> str:
    """`ping`, `tags`, `manifest`, `blob` or `other` for a request path."""
    bare = path.split("?", 1)[0]
    if bare in ("/v2/", "/v2"):
        return "ping"
    if bare.endswith("/tags/list"):
        return "tags"
    if "/manifests/" in bare:
        return "manifest"
    if "/blobs/" in bare:
        return "blob"
    return "other"


class LoggedRegistry(RegistryServer):
    """A RegistryServer that writes an access log, read back with `requests_since`."""

    def _write_config(self) -> Path:
        path = super()._write_config()
        text = path.read_text().replace(
            "  accesslog:\n    disabled: true", "  accesslog:\n    disabled: false"
        )
        path.write_text(text)
        return path

    def log_size(self) -> int:
        """Where the log ends now: pass it to `requests_since` after a run."""
        path = self.workdir / "registry.log"
        return path.stat().st_size if path.exists() else 0

    def requests_since(self, offset: int) -> tuple[Counter[str], Counter[int]]:
        """Requests logged after `offset`: counts by kind, and by status."""
        path = self.workdir / "registry.log"
        with path.open("rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
        kinds: Counter[str] = Counter()
        statuses: Counter[int] = Counter()
        for match in _REQUEST.finditer(text):
            kinds[kind_of(match["path"])] += 1
            statuses[int(match["status"])] += 1
        return kinds, statuses

    def tokens_issued(self) -> int:
        """Tokens the token server has handed out so far (0 outside token mode)."""
        return len(self.token_server.issued) if self.token_server is not None else 0
