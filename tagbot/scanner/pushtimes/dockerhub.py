"""Docker Hub: `GET /v2/namespaces/{namespace}/repositories/{repository}/tags/{tag}`.

The answer (Docker Hub API reference, "Get a tag"; confirmed against clients' type definitions):
`{"name": "1.2.0", "digest": "sha256:...", "last_updated": "2024-05-06T05:20:30.123456Z",
"tag_last_pushed": "2024-05-06T05:20:30.123456Z", "tag_last_pulled": "...", "tag_status":
"active", "images": [...], ...}`. `tag_last_pushed` is when the tag was last pushed;
`last_updated` (the same, or a metadata change) is the fallback. Official images live under
`library/`. Anonymous reads work for public repositories; private ones need a JWT: the token in
`push_times_token_env` (sent as a bearer), else one made from the docker.io login by
`POST /v2/users/login {"username", "password"}` -> `{"token": "<JWT>"}`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import quote

from tagbot import redact
from tagbot.errors import RegistryError
from tagbot.scanner.pushtimes.api import Api, rfc3339

log = logging.getLogger("tagbot.scanner")

LABEL = "Docker Hub"
BASE = "https://hub.docker.com"
_AUTH = "dockerhub-auth"


def split(repository: str) -> tuple[str, str]:
    """Namespace and repository name: `library/nginx` -> (`library`, `nginx`); a one-part
    name is an official image."""
    namespace, _, name = repository.partition("/")
    return ("library", namespace) if not name else (namespace, name)


def pushed(api: Api, repository: str, tag: str) -> datetime | None:
    """When `tag` was last pushed; None when Docker Hub does not know the tag (404)."""
    namespace, name = split(repository)
    url = (
        f"{api.base}/v2/namespaces/{quote(namespace, safe='')}/repositories/"
        f"{quote(name, safe='/')}/tags/{quote(tag, safe='')}"
    )
    data = api.get_object(url, authorization(api), f"tag {tag!r} of {repository!r}")
    if data is None:
        return None
    return rfc3339(data.get("tag_last_pushed")) or rfc3339(data.get("last_updated"))


def authorization(api: Api) -> str | None:
    """`Bearer <JWT>`: the configured token, else one from a login with the docker.io
    credentials, made once per run; None (anonymous) without either or when the login fails."""
    if api.token:
        return f"Bearer {api.token}"
    with api.lock:
        if _AUTH not in api.store:
            api.store[_AUTH] = _login(api)
        value: str | None = api.store[_AUTH]
        return value


def _login(api: Api) -> str | None:
    found = api.credentials()
    if found is None or not found.username or not found.password:
        return None
    payload = {"username": found.username, "password": found.password}
    try:
        reply = api.post(f"{api.base}/v2/users/login", payload)
        data = api.payload(reply, "the login answer") if reply.status == 200 else None
    except RegistryError as exc:
        reply, data = None, None
        log.warning("push-time API login failed", extra={"host": api.host, "error": str(exc)})
    token = data.get("token") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        if reply is not None:
            status = reply.status
            log.warning("push-time API login refused", extra={"host": api.host, "status": status})
        return None  # public repositories still answer anonymously
    redact.register(token)
    return f"Bearer {token}"
