"""Bearer tokens (distribution's token spec): ask the realm for scopes, cache until expiry."""

from __future__ import annotations

import base64
import json
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

import httpx

from tagbot import redact
from tagbot.errors import RegistryError
from tagbot.scanner.client import Reply
from tagbot.scanner.credentials import Credentials

TOKEN_LIMIT = 1024 * 1024
DEFAULT_EXPIRES_IN = 60  # the token spec's default when `expires_in` is absent
CLIENT_ID = "tagbot"
log = logging.getLogger("tagbot.scanner")

# (method, url, headers, body) -> reply; the caller adds retries, rate limit and counting.
Send = Callable[[str, str, dict[str, str], bytes | None], Reply]


@dataclass(frozen=True)
class Token:
    """A bearer token and the monotonic time after which it is no longer used."""

    value: str
    good_until: float


class TokenCache:
    """Tokens by (realm, service, scope), with one lock per key so that one thread fetches."""

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str, str], Token] = {}
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._lock = threading.Lock()

    def lock_for(self, key: tuple[str, str, str]) -> threading.Lock:
        """The lock that serialises fetching the token for `key`."""
        with self._lock:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key: tuple[str, str, str]) -> str | None:
        """The cached token for `key` while it is still good, else None."""
        with self._lock:
            token = self._tokens.get(key)
        if token is None or time.monotonic() >= token.good_until:
            return None
        return token.value

    def put(self, key: tuple[str, str, str], token: Token) -> None:
        """Remember a token."""
        with self._lock:
            self._tokens[key] = token

    def drop(self, key: tuple[str, str, str], value: str) -> None:
        """Forget `value` for `key` (the registry refused it), unless it was already replaced."""
        with self._lock:
            if key in self._tokens and self._tokens[key].value == value:
                del self._tokens[key]


def request_token(
    send: Send,
    registry: str,
    realm: str,
    service: str,
    scope: str | Sequence[str],
    creds: Credentials | None,
) -> Token:
    """Fetch a token for `scope` (one, or several at once): OAuth2 POST with an identity token,
    else GET with Basic.

    Several scopes are asked as the specs say: the GET repeats `scope=` (token.md: "specified
    multiple times if there is more than one scope entry"), the OAuth2 POST sends one `scope`
    holding a space-separated list (oauth.md). containerd, regclient and distribution's own
    token server do the same.
    """
    started = time.monotonic()
    scopes = [scope] if isinstance(scope, str) else list(scope)
    service_param = [("service", service)] if service else []
    if creds is not None and creds.identity_token:
        form = [
            ("grant_type", "refresh_token"),
            ("refresh_token", creds.identity_token),
            ("client_id", CLIENT_ID),
            ("scope", " ".join(scopes)),
            *service_param,
        ]
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        reply = send("POST", realm, headers, urlencode(form).encode())
    else:
        headers = {}
        if creds is not None and creds.username and creds.password:
            headers["Authorization"] = basic(creds.username, creds.password)
        params = (*(("scope", s) for s in scopes), *service_param)
        reply = send("GET", str(httpx.URL(realm).copy_merge_params(params)), headers, None)
    if reply.status in (401, 403):
        who = f"the credentials from {creds.source}" if creds else "anonymous access"
        raise RegistryError(
            f"{registry}: the token server refused {who} (wrong username or password?)",
            status=reply.status,
        )
    if reply.status != 200:
        raise RegistryError(
            f"{registry}: the token server answered HTTP {reply.status}",
            transient=reply.status == 429 or reply.status >= 500,
            status=reply.status,
        )
    return _parse(reply.body, registry, started)


def basic(username: str, password: str) -> str:
    """An `Authorization: Basic` value; the encoded pair is registered as a secret."""
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    redact.register(encoded)
    return f"Basic {encoded}"


def _parse(body: bytes, registry: str, started: float) -> Token:
    """Read `token` (or OAuth2's `access_token`) and `expires_in` from the answer."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: nested a thousand deep (issue 18)
        data = None
    value = None
    if isinstance(data, dict):
        value = data.get("token") or data.get("access_token")
    if not isinstance(value, str) or not value or value.split() != [value]:  # no whitespace
        raise RegistryError(f"{registry}: the token server sent no usable token")
    redact.register(value)
    expires_in = data.get("expires_in") if isinstance(data, dict) else None
    if not isinstance(expires_in, int) or isinstance(expires_in, bool) or expires_in <= 0:
        expires_in = DEFAULT_EXPIRES_IN
    log.debug("token issued", extra={"registry": registry, "expires_in": expires_in})
    # Stop using a token a little before it expires, so it never dies in flight.
    margin = min(10.0, expires_in / 4)
    return Token(value, started + expires_in - margin)
