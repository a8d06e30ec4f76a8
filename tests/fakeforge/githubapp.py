"""The parts of the fake GitHub that a GitHub App and verified commits use: JWT checks, the
installation token exchange, GraphQL `createCommitOnBranch` and the git refs API."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import jwt

from tests.fakeforge.gitrepo import BareRepo, commit_files
from tests.fakeforge.server import Reply

INSTALLATION_ID = 99


@dataclass(frozen=True)
class AppKey:
    """A test GitHub App's RSA key pair, PEM encoded."""

    private: str
    public: str

    @classmethod
    def generate(cls) -> AppKey:
        """A fresh 2048-bit key pair."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return cls(private.decode(), public.decode())


@dataclass
class App:
    """A GitHub App the fake knows: its id and public key, and the tokens it minted."""

    app_id: int
    public_key: str
    token_lifetime: float = 3600.0  # seconds an installation token lives
    tokens: dict[str, float] = field(default_factory=dict)  # token -> expiry (epoch seconds)
    jwts: list[dict[str, Any]] = field(default_factory=list)  # the verified claims, in order
    installed_on: set[str] = field(default_factory=lambda: {"acme/config"})

    def verify(self, header: str) -> bool:
        """True for `Bearer <JWT>` signed by the App's key, issued by it, valid now, <= 10 min."""
        if not header.startswith("Bearer "):
            return False
        try:
            claims = jwt.decode(
                header[7:],
                self.public_key,
                algorithms=["RS256"],
                options={"require": ["exp", "iat", "iss"]},
                leeway=60,
            )
        except jwt.PyJWTError:
            return False
        if str(claims["iss"]) != str(self.app_id) or claims["exp"] - claims["iat"] > 660:
            return False
        self.jwts.append(claims)
        return True

    def live(self, token: str) -> bool:
        """True for an installation token that has not expired."""
        return self.tokens.get(token, 0) > time.time()

    def mint(self) -> Reply:
        """A new installation token, as `POST /app/installations/{id}/access_tokens` answers."""
        token = f"ghs_installation_{len(self.tokens) + 1:04d}"
        expires = time.time() + self.token_lifetime
        self.tokens[token] = expires
        stamp = datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return 201, {"token": token, "expires_at": stamp, "permissions": {"contents": "write"}}


@dataclass
class CommitLog:
    """What the commit API was asked and did, for tests to assert on."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    made: list[str] = field(default_factory=list)
    stale: int = 0
    before: Callable[[], None] | None = None  # runs before each commit: a rival pushes first


def create_commit_on_branch(
    repo: BareRepo, log: CommitLog, project: str, data: dict[str, Any]
) -> Reply:
    """GraphQL `createCommitOnBranch`: commit on the branch tip only if it is `expectedHeadOid`."""
    arg = data.get("variables", {}).get("input", {})
    log.calls.append(arg)
    if log.before:
        log.before()
    branch = arg["branch"]
    if branch.get("repositoryNameWithOwner") != project:
        return 200, _error("NOT_FOUND", "Could not resolve to a Repository")
    name, expected = branch["branchName"], arg["expectedHeadOid"]
    if repo.sha(name) != expected:
        log.stale += 1
        message = f'Expected branch to point to "{expected}" but it did not. Pull and try again.'
        return 200, _error("STALE_DATA", message)
    files = {
        a["path"]: base64.b64decode(a["contents"])
        for a in arg.get("fileChanges", {}).get("additions", [])
    }
    text = arg["message"]["headline"]
    if arg["message"].get("body"):
        text += "\n\n" + arg["message"]["body"]
    sha = commit_files(
        repo, name, expected, files, text + "\n", ("tagbot[bot]", "bot@users.noreply"), expected
    )
    if sha is None:
        return 200, _error("STALE_DATA", "Expected branch to point to the head")
    log.made.append(sha)
    return 200, {"data": {"createCommitOnBranch": {"commit": {"oid": sha}}}}


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"data": {"createCommitOnBranch": None}, "errors": [{"type": kind, "message": message}]}
