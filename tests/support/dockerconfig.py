"""Write Docker client configs and credential helpers (`docker-credential-NAME`) for tests."""

from __future__ import annotations

import base64
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

_HELPER = """#!{python}
# A docker-credential-helpers protocol implementation holding fixed answers (tests only).
import json, sys
answers = {answers!r}
if sys.argv[1:] != ["get"]:
    sys.exit(2)
server = sys.stdin.read().strip()
with open({log!r}, "a") as log:
    log.write(server + "\\n")
if server not in answers:
    print("credentials not found in native keychain")
    sys.exit(1)
user, secret = answers[server]
print(json.dumps({{"ServerURL": server, "Username": user, "Secret": secret}}))
"""


def write_config(
    directory: Path,
    auths: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    cred_helpers: Mapping[str, str] | None = None,
    creds_store: str | None = None,
) -> Path:
    """Write `DIRECTORY/config.json` (point DOCKER_CONFIG at `directory`); returns its path."""
    data: dict[str, Any] = {"auths": dict(auths or {})}
    if cred_helpers:
        data["credHelpers"] = dict(cred_helpers)
    if creds_store:
        data["credsStore"] = creds_store
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.json"
    path.write_text(json.dumps(data, indent=2))
    return path


def auth_entry(username: str, password: str) -> dict[str, str]:
    """An `auths` entry as `docker login` writes it: base64 of `user:password`."""
    return {"auth": base64.b64encode(f"{username}:{password}".encode()).decode()}


def write_helper(bin_dir: Path, name: str, answers: Mapping[str, tuple[str, str]]) -> Path:
    """Write an executable `docker-credential-NAME` answering `get` from `answers`.

    Each server it was asked about is appended to `BIN_DIR/NAME.log`.
    """
    bin_dir.mkdir(parents=True, exist_ok=True)
    path = bin_dir / f"docker-credential-{name}"
    log = str(bin_dir / f"{name}.log")
    path.write_text(_HELPER.format(python=sys.executable, answers=dict(answers), log=log))
    path.chmod(0o755)
    return path


def helper_calls(bin_dir: Path, name: str) -> list[str]:
    """The servers a helper written by `write_helper` was asked about, in order."""
    path = bin_dir / f"{name}.log"
    return path.read_text().split() if path.exists() else []
