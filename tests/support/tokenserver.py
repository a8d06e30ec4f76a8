"""A token server after distribution's token spec: RS256 JWTs (cert in `x5c`) the registry verifies."""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization

from tests.support import certs

SERVICE = "tagbot-test-registry"
ISSUER = "tagbot-test-issuer"
Grants = Literal["all", "first"]


@dataclass(frozen=True)
class Issued:
    """One token handed out: to whom (None: anonymous), for which scopes, and the token."""

    user: str | None
    scopes: tuple[str, ...]  # the scopes the server read (the first only, for grants="first")
    token: str
    grant: str  # "basic", "anonymous" or "refresh_token"
    asked: tuple[str, ...] = ()  # every scope the request named


class TokenServer:
    """Issues tokens on `/token` (GET with Basic, or OAuth2 POST with a refresh token).

    `expires_in` is what it announces; `expired_next` makes the next N tokens already expired
    (past the registry's 60 s leeway) while still announcing `expires_in`, as a revoked or
    clock-skewed token would look. `issued` records every token, for counting and secret checks.

    Several scopes are read as distribution's token server reads them: a GET repeats `scope`,
    a POST sends one space-separated list; the token's `access` claim lists what each grants.
    `max_scopes` refuses (400) a request naming more scopes. `grants = "first"` reads only the first scope, as a server built for one would (the token
    names one repository). `opaque` hands out a random handle instead of the JWT, as GHCR's
    opaque tokens look to a client; `OpaqueProxy` (tests.support.opaque) swaps it back for the
    JWT on its way to the registry.
    """

    def __init__(
        self,
        directory: Path,
        users: Mapping[str, str],
        *,
        refresh_tokens: Mapping[str, str] | None = None,
        anonymous_pull: bool = True,
        expires_in: int = 300,
    ) -> None:
        self.users = dict(users)
        self.refresh_tokens = dict(refresh_tokens or {})
        self.anonymous_pull = anonymous_pull
        self.expires_in = expires_in
        self.expired_next = 0
        self.denied: set[str] = set()  # repositories whose tokens grant nothing (Docker Hub's way)
        self.grants: Grants = "all"
        self.opaque = False
        self.max_scopes: int | None = None  # more scopes in one request: 400, as a URL limit
        self.handles: dict[str, str] = {}  # opaque handle -> the JWT it stands for
        self.issued: list[Issued] = []
        self.refused = 0
        self._signer = certs.self_signed("tagbot test token signer")
        # Parse the key once: loading a PEM RSA key costs ~60 ms (OpenSSL 3 checks it).
        self._key = serialization.load_pem_private_key(self._signer.key_pem, password=None)
        self.cert_path = directory / "token-signer.crt"
        self.cert_path.write_bytes(self._signer.cert_pem)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    @property
    def realm(self) -> str:
        """The URL the registry's challenge points clients to."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/token"

    def start(self) -> TokenServer:
        """Serve in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._thread.is_alive():  # shutdown() waits forever for a loop that never ran
            self._server.shutdown()
        self._server.server_close()

    def tokens_for(self, scope: str) -> list[Issued]:
        """Tokens issued so far that cover `scope`."""
        with self._lock:
            return [i for i in self.issued if scope in i.scopes]

    def issue(self, user: str | None, scopes: list[str], grant: str) -> dict[str, Any]:
        """Sign a token granting `scopes` to `user`; pull only, for anonymous users."""
        now = int(time.time())
        with self._lock:
            expired, self.expired_next = self.expired_next > 0, max(0, self.expired_next - 1)
            expires_in = self.expires_in
            asked, scopes = tuple(scopes), scopes[:1] if self.grants == "first" else scopes
        issued_at = now - 600 if expired else now
        access = []
        for scope in scopes:
            kind, _, rest = scope.partition(":")
            name, _, actions = rest.rpartition(":")
            wanted = [a for a in actions.split(",") if a]
            granted = wanted if user is not None else [a for a in wanted if a == "pull"]
            if kind == "repository" and name and granted and name not in self.denied:
                access.append({"type": kind, "name": name, "actions": granted})
        claims = {
            "iss": ISSUER,
            "sub": user or "",
            "aud": SERVICE,
            "iat": issued_at,
            "nbf": issued_at - 1,
            "exp": (now - 300) if expired else now + expires_in,
            "jti": uuid.uuid4().hex,
            "access": access,
        }
        x5c = [base64.b64encode(self._signer.cert_der).decode("ascii")]
        token = jwt.encode(claims, self._key, algorithm="RS256", headers={"x5c": x5c})
        with self._lock:
            if self.opaque:
                handle = "opq_" + uuid.uuid4().hex
                self.handles[handle] = token
                token = handle
            self.issued.append(Issued(user, tuple(scopes), token, grant, asked))
        return {"token": token, "access_token": token, "expires_in": expires_in}

    def refuse(self) -> None:
        """Count a refused request."""
        with self._lock:
            self.refused += 1


def _handler(server: TokenServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _answer(self, status: int, data: dict[str, Any]) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _deny(self) -> None:
            server.refuse()
            self._answer(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad login"}]})

        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            scopes = query.get("scope", [])
            if server.max_scopes is not None and len(scopes) > server.max_scopes:
                return self._answer(400, {"errors": [{"code": "TOO_MANY_SCOPES"}]})
            header = self.headers.get("Authorization", "")
            if not header:
                if not server.anonymous_pull:
                    return self._deny()
                return self._answer(200, server.issue(None, scopes, "anonymous"))
            user, _, password = _basic(header)
            if user not in server.users or server.users[user] != password:
                return self._deny()
            return self._answer(200, server.issue(user, scopes, "basic"))

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            refresh = form.get("refresh_token", [""])[0]
            user = server.refresh_tokens.get(refresh)
            if form.get("grant_type") != ["refresh_token"] or user is None:
                return self._deny()
            scopes = " ".join(form.get("scope", [])).split()  # oauth.md: one space-separated list
            return self._answer(200, server.issue(user, scopes, "refresh_token"))

    return Handler


def _basic(header: str) -> tuple[str, str, str]:
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return "", "", ""
    try:
        return base64.b64decode(encoded).decode().partition(":")
    except ValueError:
        return "", "", ""
