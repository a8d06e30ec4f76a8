"""Who may send events: each source's own scheme, compared in constant time, never logged."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

# How each kind of source proves itself (what its sender can be configured to send):
#   header:   the `Authorization` header is the secret, or `Bearer <secret>` (distribution and
#             GitLab registry `headers`, Harbor's "auth header", ACR's custom headers)
#   bearer:   `Authorization: Bearer <secret>` (tagbot's CI endpoint)
#   hmac:     `X-Hub-Signature-256: sha256=<HMAC-SHA256 of the body>` (GitHub webhooks)
#   query:    `?token=<secret>` in the URL (Docker Hub and Quay sign nothing)
SCHEMES = {
    "distribution": "header",
    "gitlab": "header",
    "harbor": "header",
    "acr": "header",
    "generic": "bearer",
    "github": "hmac",
    "dockerhub": "query",
    "quay": "query",
}


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def signature(secret: str, body: bytes) -> str:
    """GitHub's `X-Hub-Signature-256` value of `body` under `secret`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def check(
    kind: str,
    secret: str,
    headers: Mapping[str, str],
    query: Mapping[str, str],
    body: bytes,
) -> str | None:
    """Why the request is not from the source (a short reason for logs and metrics), or None."""
    scheme = SCHEMES[kind]
    if scheme == "hmac":
        given = headers.get("x-hub-signature-256")
        if not given:
            return "unsigned"
        return None if _same(given, signature(secret, body)) else "bad signature"
    if scheme == "query":
        token = query.get("token")
        if not token:
            return "no token"
        return None if _same(token, secret) else "bad token"
    given = headers.get("authorization")
    if not given:
        return "no credentials"
    expected = f"Bearer {secret}"
    if scheme == "bearer":
        return None if _same(given, expected) else "bad credentials"
    # Both comparisons always run, so the time taken does not tell which form was close.
    plain, bearer = _same(given, secret), _same(given, expected)
    return None if plain or bearer else "bad credentials"
