"""Challenge-driven auth for one registry: anonymous, Basic, or Bearer tokens per scope
(asked for several repositories at once when they are expected: `batches`)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import httpx

from tagbot.errors import RegistryError
from tagbot.scanner.batches import Batch, Batcher, granted
from tagbot.scanner.credentials import Credentials
from tagbot.scanner.tokens import Send, TokenCache, basic, request_token

_PARAM = re.compile(r'([A-Za-z][A-Za-z0-9_-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,"]*)')


@dataclass(frozen=True)
class Challenge:
    """A parsed `WWW-Authenticate` header (RFC 7235; distribution's token spec)."""

    scheme: str  # "basic" or "bearer"
    realm: str = ""
    service: str = ""
    # RFC 6750's error code (`invalid_token`, `insufficient_scope`); not part of identity.
    error: str = field(default="", compare=False)


def parse_challenge(header: str | None) -> Challenge | None:
    """The first Basic or Bearer challenge in `header`; None for none or another scheme."""
    if not header:
        return None
    scheme, _, rest = header.strip().partition(" ")
    scheme = scheme.lower()
    if scheme not in ("basic", "bearer"):
        return None
    params: dict[str, str] = {}
    for key, raw in _PARAM.findall(rest):
        value = raw[1:-1].replace('\\"', '"') if raw.startswith('"') else raw
        params.setdefault(key.lower(), value)  # first wins if several challenges follow
    return Challenge(
        scheme, params.get("realm", ""), params.get("service", ""), params.get("error", "")
    )


def pull_scope(repository: str) -> str:
    """The least-privilege scope for reading one repository."""
    return f"repository:{repository}:pull"


class HostAuth:
    """What one registry asked for, the credentials to answer with, and the tokens it gave."""

    def __init__(
        self,
        registry: str,
        base_url: str,
        find: Callable[[], Credentials | None],
        token_batch: int = 1,
    ) -> None:
        self.registry = registry
        self._https = base_url.startswith("https://")
        self._find = find
        self._creds: Credentials | None = None
        self._looked = False
        self._lock = threading.Lock()
        self.challenge: Challenge | None = None
        self.tokens = TokenCache()
        self.batches = Batcher(registry, token_batch)

    def credentials(self) -> Credentials | None:
        """The registry's credentials, looked up once and only when a challenge needs them."""
        with self._lock:
            if not self._looked:
                self._creds, self._looked = self._find(), True
            return self._creds

    def describe(self) -> str:
        """Where the credentials in use came from, for error messages (never their value)."""
        creds = self.credentials() if self._looked else None
        return f"the credentials from {creds.source}" if creds else "no credentials"

    def has_login(self) -> bool:
        """True when a username and password (usable for Basic) were found."""
        creds = self.credentials()
        return creds is not None and bool(creds.username and creds.password)

    def authorization(self, scope: str, send: Send) -> str | None:
        """The Authorization value for a request in `scope`; None while no challenge is known."""
        challenge = self.challenge
        if challenge is None:
            return None
        creds = self.credentials()
        if creds is not None and creds.registry_token:
            return f"Bearer {creds.registry_token}"
        if challenge.scheme == "basic":
            # Without a login, ask anonymously: some registries challenge on /v2/ only.
            if creds is None or not (creds.username and creds.password):
                return None
            return basic(creds.username, creds.password)
        key = (challenge.realm, challenge.service, scope)
        token = self.tokens.get(key) or self._batched(challenge, scope, creds, send)
        if token is None:
            with self.tokens.lock_for(key):  # one fetch per scope, however many threads ask
                token = self.tokens.get(key)
                if token is None:
                    fetched = request_token(
                        send, self.registry, challenge.realm, challenge.service, scope, creds
                    )
                    self.tokens.put(key, fetched)
                    token = fetched.value
        if self.batches.used(scope):
            batch = self.batches.ahead(lambda member: self._cached(challenge, member))
            if batch is not None:
                self._send_batch(batch, None, challenge, creds, send)
        return f"Bearer {token}"

    def expect(self, scopes: Iterable[str]) -> None:
        """Scopes about to be used: a token request can cover them along with the one asked."""
        self.batches.expect(scopes)

    def unbatch(self, scope: str, sent: str | None) -> bool:
        """True when `sent` carried a token asked for several scopes and the registry refused
        it for `scope`: it is dropped there, and `scope` gets a token of its own next time."""
        challenge = self.challenge
        if challenge is None or sent is None or not sent.startswith("Bearer "):
            return False
        value = sent.removeprefix("Bearer ")
        if not self.batches.unbatch(scope, value):
            return False
        self.tokens.drop((challenge.realm, challenge.service, scope), value)
        return True

    def _batched(
        self, challenge: Challenge, scope: str, creds: Credentials | None, send: Send
    ) -> str | None:
        """The token for `scope` from a batch (led by this thread or another); None when the
        scope is to be asked alone, or the batch did not serve it."""
        joined = self.batches.join(scope, lambda member: self._cached(challenge, member))
        if joined is None:
            return None
        batch, lead = joined
        if lead:
            return self._send_batch(batch, scope, challenge, creds, send)
        batch.done.wait()
        return self.tokens.get((challenge.realm, challenge.service, scope))

    def _send_batch(
        self,
        batch: Batch,
        own: str | None,
        challenge: Challenge,
        creds: Credentials | None,
        send: Send,
    ) -> str | None:
        """Ask for the batch's token and cache it for each scope it serves; the token when it
        serves `own` (None: a batch sent ahead, for other threads). A lone scope's error is
        `own`'s to raise; after a failed batch, each scope is asked alone."""
        realm, service = challenge.realm, challenge.service
        scopes = self.batches.close(batch, lambda member: self._cached(challenge, member))
        asked: str | list[str] = scopes[0] if len(scopes) == 1 else scopes
        try:
            fetched = request_token(send, self.registry, realm, service, asked, creds)
        except RegistryError:
            if len(scopes) > 1:
                self.batches.failed(batch)  # each asks alone, as it would have without batching
                return None
            self.batches.finish(batch, ())
            if own is None:
                return None
            raise
        except BaseException:
            self.batches.finish(batch, ())  # a bug or an interrupt: never leave waiters waiting
            raise
        served = scopes
        if len(scopes) > 1:
            grants = granted(fetched.value)
            if grants is not None:
                served = [member for member in scopes if member in grants]
            self.batches.shared(fetched.value, len(scopes))
        for member in served:
            self.tokens.put((realm, service, member), fetched)
        self.batches.finish(batch, served)
        return fetched.value if own in served else None

    def _cached(self, challenge: Challenge, scope: str) -> bool:
        return self.tokens.get((challenge.realm, challenge.service, scope)) is not None

    def learn(self, header: str | None, sent: str | None, scope: str) -> bool:
        """Take in a 401's challenge; True when sending again with new auth may succeed."""
        challenge = parse_challenge(header)
        if challenge is None:
            return False
        if challenge.scheme == "bearer":
            self._check_realm(challenge.realm)
        with self._lock:
            changed = challenge != self.challenge
            self.challenge = challenge
        if challenge.scheme == "basic" and not self.has_login():
            return False  # asking again without a login gets the same answer
        if changed or sent is None:
            return True
        if challenge.scheme == "bearer" and sent.startswith("Bearer "):
            creds = self.credentials()
            if creds is not None and creds.registry_token:
                return False  # a fixed token from the docker config cannot be renewed
            if challenge.error == "insufficient_scope":
                return False  # a new token for the same scope gets the same answer
            # A refused token (expired early, revoked): drop it so the next try fetches anew.
            key = (challenge.realm, challenge.service, scope)
            self.tokens.drop(key, sent.removeprefix("Bearer "))
            return True
        return False

    def _check_realm(self, realm: str) -> None:
        """Refuse a token realm that is not a URL, or that downgrades an HTTPS registry."""
        try:
            url = httpx.URL(realm) if realm else None
        except httpx.InvalidURL:
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host:
            raise RegistryError(f"{self.registry} sent a Bearer challenge without a usable realm")
        if self._https and url.scheme != "https":
            raise RegistryError(f"{self.registry} sent a token realm over plain HTTP; refused")
