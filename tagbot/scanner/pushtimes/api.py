"""One push-time API as the vendor modules see it: where it answers, its own host limits, how
to authenticate, and JSON GETs and POSTs through the scanner's transport (kind `pushtime`)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from tagbot import redact
from tagbot.errors import RegistryError
from tagbot.models import RegistryOptions
from tagbot.scanner.breaker import Breaker
from tagbot.scanner.client import Reply, Site, Transport
from tagbot.scanner.concurrency import HostWindow
from tagbot.scanner.credentials import Credentials

KIND = "pushtime"  # the request kind in `Scanner.request_count`
PAGE_LIMIT = 4 * 1024 * 1024  # a page of 100 GitHub package versions is ~60 KB
_UNSET = object()


class Api:
    """A push-time API of one registry: base URL, a Site of its own (a dead API never trips
    the registry's breaker), the token from `push_times_token_env`, the registry's credentials
    (asked lazily), and a small store for what a vendor caches for the run (auth, pages)."""

    def __init__(
        self,
        label: str,
        base: str,
        registry: str,
        options: RegistryOptions,
        transport: Transport,
        token: str | None,
        credentials: Callable[[], Credentials | None],
    ) -> None:
        self.label = label  # `Docker Hub`: said in warnings and explanations
        self.base = base.rstrip("/")
        self.registry = registry
        self.host = urlsplit(self.base).netloc
        same_host = self.host == registry
        # A CA bundle configured for a private registry says nothing about hub.docker.com.
        api_options = options if same_host else replace(options, ca_bundle=None)
        self.site = Site(
            self.host,
            api_options,
            HostWindow(self.host, options.concurrency),
            Breaker(self.host, options.breaker),
        )
        self.token = token
        redact.register(token)
        self._credentials = credentials
        self._found: object = _UNSET
        self._found_lock = threading.Lock()
        self._transport = transport
        self.lock = threading.Lock()  # guards `store`
        self.store: dict[str, Any] = {}

    def credentials(self) -> Credentials | None:
        """The registry's own credentials (env, docker config, helpers, CI), when any; looked
        up once (a credential helper is a process)."""
        with self._found_lock:
            if self._found is _UNSET:
                self._found = self._credentials()
            return self._found  # type: ignore[return-value]

    def get(self, url: str, authorization: str | None, *, limit: int = PAGE_LIMIT) -> Reply:
        """GET `url` (an absolute URL on this API) as JSON."""
        return self.send("GET", url, authorization, None, limit)

    def get_object(self, url: str, authorization: str | None, what: str) -> dict[str, Any] | None:
        """The JSON object at `url`; None when the API does not know it (404) or answers
        something else than an object; RegistryError for any other failure, naming `what`."""
        reply = self.get(url, authorization)
        if reply.status == 404:
            return None
        if reply.status != 200:
            raise self.error(reply, what)
        data = self.payload(reply, what)
        return data if isinstance(data, dict) else None

    def post(self, url: str, payload: dict[str, str]) -> Reply:
        """POST a JSON body (a login: its password is already registered for redaction)."""
        return self.send("POST", url, None, json.dumps(payload).encode(), PAGE_LIMIT)

    def past_deadline(self) -> bool:
        """True once the run's deadline has passed (a failure then is the run's, not the API's)."""
        return self._transport.past_deadline()

    def send(
        self, method: str, url: str, authorization: str | None, body: bytes | None, limit: int
    ) -> Reply:
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if authorization:
            headers["Authorization"] = authorization
        return self._transport.send(
            KIND, method, url, self.site, headers=headers, content=body, limit=limit
        )

    def error(self, reply: Reply, what: str) -> RegistryError:
        """The error for an answer that is neither the payload nor a plain "not found"."""
        transient = reply.status == 429 or reply.status >= 500
        message = f"{self.label} API at {self.host}: HTTP {reply.status} for {what}"
        return RegistryError(message, transient=transient, status=reply.status)

    def payload(self, reply: Reply, what: str) -> Any:
        """The reply's JSON; a malformed body is an error naming the API, never its text."""
        try:
            return json.loads(reply.body)
        except (ValueError, RecursionError):
            raise RegistryError(f"{self.label} API at {self.host}: {what} is not JSON") from None


def rfc3339(value: object) -> datetime | None:
    """An RFC 3339 time (`2024-05-06T05:20:30.123456Z`) as an aware datetime, else None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return None
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def epoch(value: object) -> datetime | None:
    """Seconds since 1970 (an int, as Quay's `start_ts`) as an aware datetime, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None
