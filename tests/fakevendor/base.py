"""What every fake vendor API shares: push times by (repository, tag), the Authorization
headers it saw, and knobs for bad days (answer 503 for a while, answer slowly)."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from email.message import Message

from tests.fakeforge.server import FakeServer, RawReply


class VendorFake(FakeServer):
    """A vendor API holding `pushed[(repository, tag)]`; `failing` answers 503 to the next N
    requests, `delay` holds every answer back that many seconds."""

    def __init__(self) -> None:
        super().__init__()
        self.pushed: dict[tuple[str, str], datetime] = {}
        self.seen: list[str | None] = []  # the Authorization header of each request
        self.failing = 0
        self.delay = 0.0
        self._local = threading.local()

    @property
    def auth(self) -> str | None:
        """The Authorization header of the request being answered (in its handler thread)."""
        value: str | None = getattr(self._local, "auth", None)
        return value

    @property
    def url(self) -> str:
        """The API base URL, as `push_times_url` names it."""
        return self.origin + self.prefix

    def push(self, repository: str, tag: str, when: datetime) -> None:
        """Record that `tag` of `repository` was pushed at `when`."""
        with self.lock:
            self.pushed[repository, tag] = when

    def raw(self, method: str, raw: str, headers: Message, body: bytes) -> RawReply | None:
        """Hold the answer back (`delay`), or fail it (`failing`), before any routing."""
        self._local.auth = headers.get("Authorization")
        with self.lock:
            self.seen.append(self._local.auth)
            failing, self.failing = self.failing > 0, self.failing - 1
        if self.delay:
            time.sleep(self.delay)
        if not failing:
            return None
        return 503, {"Content-Type": "text/plain"}, b"upstream unavailable"

    def authorized(self, headers: Message, path: str) -> bool:
        """Public by default: a vendor that checks credentials overrides this."""
        return True
