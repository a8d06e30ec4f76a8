"""Git's smart HTTP protocol served by the real `git http-backend` (CGI), behind Basic auth."""

from __future__ import annotations

import base64
import os
import subprocess
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

from tests.fakeforge.gitrepo import isolated_git_env
from tests.fakeforge.server import RawReply

_CHALLENGE = {"WWW-Authenticate": 'Basic realm="fake forge"', "Content-Type": "text/plain"}


def basic_user(headers: Message) -> tuple[str, str] | None:
    """The user and password of a Basic Authorization header; None without one."""
    value = headers.get("Authorization", "")
    if not value.startswith("Basic "):
        return None
    user, _, password = base64.b64decode(value[6:]).decode().partition(":")
    return user, password


def serve(
    repo: Path,
    mount: str,
    method: str,
    raw: str,
    headers: Message,
    body: bytes,
    allowed: Callable[[tuple[str, str] | None], bool],
) -> RawReply | None:
    """Answer a git request under `mount` (`/acme/config.git`) from the bare `repo`; None for
    any other path. 401 with a Basic challenge when `allowed(user, password)` says no."""
    parts = urlsplit(raw)
    if not parts.path.startswith(mount + "/"):
        return None
    if not allowed(basic_user(headers)):
        return 401, _CHALLENGE, b"Bad credentials\n"
    env = {
        **os.environ,
        **isolated_git_env(),
        "GIT_PROJECT_ROOT": str(repo.parent),
        "GIT_HTTP_EXPORT_ALL": "1",
        "REMOTE_USER": "tagbot",  # enables receive-pack (push) for an authenticated user
        "REQUEST_METHOD": method,
        "PATH_INFO": f"/{repo.name}{parts.path[len(mount) :]}",
        "QUERY_STRING": parts.query,
        "CONTENT_TYPE": headers.get("Content-Type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_CONTENT_ENCODING": headers.get("Content-Encoding", ""),
        "GIT_PROTOCOL": headers.get("Git-Protocol", ""),
    }
    proc = subprocess.run(
        ["git", "http-backend"], input=body, env=env, capture_output=True, check=False
    )
    head, _, content = proc.stdout.partition(b"\r\n\r\n")
    status, reply = 200, {}
    for line in head.decode().split("\r\n"):
        name, _, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.split()[0])
        elif name:
            reply[name] = value.strip()
    return status, reply, content
