"""Bearer tokens for several repositories at once: which scopes share one token request.

Distribution's token spec lets one request name several scopes (token.md: `scope` "should be
specified multiple times if there is more than one scope entry"; oauth.md: one space-separated
list in the POST). Clients ask that way: containerd's `FetchToken` repeats `scope` (its OAuth2
POST joins them with spaces), regclient asks for every scope it has seen on a host, Docker
since 1.10 for parallel pushes (Portus added support for it). Distribution's own token server
reads them so (contrib/token-server: `params["scope"]`, `ResolveScopeList` for the POST) and
lists each granted repository in the JWT's `access` claim; Docker Hub, Harbor, Quay and GHCR
are reported to accept it too (not checked here: a server that reads one scope is detected
below). Listing 1,000 images then costs 1,000/`token_batch` token requests instead of 1,000.

Only what was granted is trusted. The spec calls tokens opaque, but most are JWTs: when the
`access` claim can be read, a token is kept only for the repositories it grants (a claim is
read to narrow what is used, never to widen it; the registry still checks the signature). An
opaque token is trusted provisionally: when the registry refuses it for a repository, that
repository gets a token of its own (`unbatch`), so no image fails that a single-scope token
would have served. A host that shows it ignores all but one scope stops batching.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

# How long a batch with room waits for the scopes other threads need at that moment (with
# prefetching, images arrive one by one as files are read). Short next to any round trip.
COALESCE = 0.005
log = logging.getLogger("tagbot.scanner")


@dataclass(eq=False)
class Batch:
    """Scopes that one token request will ask for; `done` is set once their tokens are cached."""

    scopes: list[str]
    room: int
    done: threading.Event = field(default_factory=threading.Event)
    full: threading.Event = field(default_factory=threading.Event)
    open: bool = True


_SERVED = Batch([], 0)
_SERVED.done.set()


@dataclass
class _Shared:
    """A token asked for several scopes: how many, and for how many the registry refused it."""

    scopes: int
    refused: int = 0


class Batcher:
    """The scopes of one host waiting for a token, and the batches that ask for them."""

    def __init__(self, registry: str, size: int, window: float = COALESCE) -> None:
        self.registry = registry
        self.size = max(1, size)
        self._window = window
        self._wanted: dict[str, None] = {}  # scopes about to be used, in the order expected
        self._inflight: dict[str, Batch] = {}
        self._forming: Batch | None = None
        self._single: set[str] = set()  # scopes a batch did not serve: asked alone from now on
        self._shared: dict[str, _Shared] = {}  # token value -> what it was asked for
        self._unused: dict[str, None] = {}  # scopes a batch served that nobody has used yet
        self._lock = threading.Lock()

    def expect(self, scopes: Iterable[str]) -> None:
        """Remember scopes that will need a token soon, so one request can cover them."""
        with self._lock:
            if self.size == 1:
                return
            for scope in scopes:
                if scope not in self._single:
                    self._wanted.setdefault(scope)

    def join(self, scope: str, cached: Callable[[str], bool]) -> tuple[Batch, bool] | None:
        """The batch that asks for `scope`, and whether this thread leads it (sends it); None
        when the scope is to be asked alone (batching off, or a batch did not serve it)."""
        with self._lock:
            batch = self._inflight.get(scope)
            if batch is not None:
                return batch, False
            if cached(scope):  # a batch served it since the caller looked
                return _SERVED, False
            if self.size == 1 or scope in self._single:
                return None
            self._wanted.pop(scope, None)
            forming = self._forming
            if forming is not None and forming.open and len(forming.scopes) < forming.room:
                forming.scopes.append(scope)
                self._inflight[scope] = forming
                if len(forming.scopes) == forming.room:
                    forming.full.set()
                return forming, False
            batch = Batch([scope, *self._take(self.size - 1, cached)], self.size)
            for member in batch.scopes:
                self._inflight[member] = batch
            if len(batch.scopes) < batch.room:
                self._forming = batch
            else:
                batch.full.set()
            return batch, True

    def ahead(self, cached: Callable[[str], bool]) -> Batch | None:
        """A batch of expected scopes for the caller to send now, before anyone needs them;
        None when none are left."""
        with self._lock:
            scopes = self._take(self.size, cached) if self.size > 1 else []
            if not scopes:
                return None
            batch = Batch(scopes, len(scopes), open=False)
            batch.full.set()
            for scope in scopes:
                self._inflight[scope] = batch
            return batch

    def used(self, scope: str) -> bool:
        """Note that `scope`'s token is in use; True when the caller should send the next
        batch ahead (`ahead`): scopes are still expected, no token request is under way, and
        at most half a batch of served tokens is left, so workers never wait for a token."""
        with self._lock:
            self._unused.pop(scope, None)
            return (
                self.size > 1
                and bool(self._wanted)
                and not self._inflight
                and len(self._unused) <= self.size // 2
            )

    def close(self, batch: Batch, cached: Callable[[str], bool]) -> list[str]:
        """Wait briefly for other threads' scopes while the batch has room, fill what room is
        left with scopes expected meanwhile (prefetching names images as files are read); its
        scopes."""
        batch.full.wait(self._window)
        with self._lock:
            batch.open = False
            if self._forming is batch:
                self._forming = None
            if self.size > 1:
                for scope in self._take(batch.room - len(batch.scopes), cached):
                    batch.scopes.append(scope)
                    self._inflight[scope] = batch
            return list(batch.scopes)

    def finish(self, batch: Batch, served: Collection[str]) -> None:
        """The batch's request is over: `served` scopes have their token cached; the others
        will be asked alone. A batch of three or more that served at most one shows a token
        server that reads a single `scope`: this host stops batching."""
        with self._lock:
            for scope in batch.scopes:
                self._inflight.pop(scope, None)
                if scope not in served:
                    self._single.add(scope)
                elif len(batch.scopes) > 1:
                    self._unused.setdefault(scope)
            if len(batch.scopes) >= 3 and len(served) <= 1:
                self._stop("its token server granted one of several scopes")
        batch.done.set()

    def failed(self, batch: Batch) -> None:
        """The batch's request failed: its scopes are asked alone, and this host stops batching
        (a server may refuse a long query or several scopes where one would do)."""
        with self._lock:
            self._stop("a token request for several scopes failed")
        self.finish(batch, ())

    def shared(self, token: str, scopes: int) -> None:
        """Remember that `token` was asked for several scopes."""
        with self._lock:
            self._shared[token] = _Shared(scopes)

    def unbatch(self, scope: str, token: str) -> bool:
        """True when the registry refused `token`, asked for several scopes, for `scope`: that
        scope is asked alone from now on. When a token is refused for half its scopes (at least
        two), the server ignored the others: this host stops batching."""
        with self._lock:
            shared = self._shared.get(token)
            if shared is None:
                return False
            self._single.add(scope)
            shared.refused += 1
            if shared.refused >= max(2, shared.scopes // 2):
                self._stop("its registry refused a token asked for several scopes")
            return True

    def _take(self, count: int, cached: Callable[[str], bool]) -> list[str]:
        """Up to `count` expected scopes with no token and no request under way."""
        taken: list[str] = []
        for scope in list(self._wanted):
            if len(taken) == count:
                break
            del self._wanted[scope]
            if scope not in self._inflight and scope not in self._single and not cached(scope):
                taken.append(scope)
        return taken

    def _stop(self, reason: str) -> None:
        if self.size > 1:
            log.info(
                "token batching stopped for a host",
                extra={"registry": self.registry, "reason": reason},
            )
        self.size = 1
        self._wanted.clear()


def granted(token: str) -> frozenset[str] | None:
    """The `repository:NAME:pull` scopes a JWT's `access` claim grants; None when the token is
    opaque (not a JWT, or no readable `access` claim). The signature is not checked: the claim
    only narrows which repositories the token is used for."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4))
        claims = json.loads(payload)
    except (ValueError, binascii.Error, RecursionError):
        return None
    access = claims.get("access") if isinstance(claims, dict) else None
    if not isinstance(access, list):
        return None
    scopes = set()
    for entry in access:
        if not isinstance(entry, dict) or entry.get("type") != "repository":
            continue
        name, actions = entry.get("name"), entry.get("actions")
        pulls = isinstance(actions, list) and ("pull" in actions or "*" in actions)
        if isinstance(name, str) and pulls:
            scopes.add(f"repository:{name}:pull")
    return frozenset(scopes)
