"""Credentials from Docker's config.json: `credHelpers`, `credsStore` and `auths`, as Docker reads them."""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tagbot import redact
from tagbot.scanner.credentials import Credentials
from tagbot.scanner.hosts import auth_key, config_key_host

log = logging.getLogger("tagbot.scanner")

HELPER_TIMEOUT = 30.0
_HELPER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_NOT_FOUND = "credentials not found"  # the docker-credential-helpers protocol's "no entry" answer


def config_path(env: Mapping[str, str]) -> Path:
    """`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`."""
    if env.get("DOCKER_CONFIG"):
        return Path(env["DOCKER_CONFIG"]) / "config.json"
    home = env.get("HOME")
    return (Path(home) if home else Path.home()) / ".docker" / "config.json"


def load(path: Path) -> dict[str, Any]:
    """The parsed config file; missing is empty, unreadable is empty with a warning."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, RecursionError) as exc:
        log.warning("docker config unreadable", extra={"path": str(path), "reason": str(exc)})
        return {}
    return data if isinstance(data, dict) else {}


def lookup(config: Mapping[str, Any], registry: str, env: Mapping[str, str]) -> Credentials | None:
    """Credentials for `registry`: its credHelper, else credsStore, else its `auths` entry."""
    found = from_helper(config, registry, env)
    return found if found is not None else from_auths(config, registry)


def from_helper(
    config: Mapping[str, Any], registry: str, env: Mapping[str, str]
) -> Credentials | None:
    """What the registry's `credHelpers` entry, else the `credsStore`, answers for it."""
    helpers = config.get("credHelpers")
    helper = _entry(helpers, registry) if isinstance(helpers, dict) else None
    if not isinstance(helper, str):
        helper = config.get("credsStore")
    if not isinstance(helper, str) or not helper:
        return None
    return run_helper(helper, auth_key(registry), env)


def from_auths(config: Mapping[str, Any], registry: str) -> Credentials | None:
    """The registry's `auths` entry (what `docker login` writes without a helper)."""
    auths = config.get("auths")
    entry = _entry(auths, registry) if isinstance(auths, dict) else None
    return _from_auths(entry, registry) if isinstance(entry, dict) else None


def run_helper(name: str, server: str, env: Mapping[str, str]) -> Credentials | None:
    """Ask `docker-credential-NAME get` for `server`; None when it has nothing or fails."""
    program = f"docker-credential-{name}"
    path = shutil.which(program, path=env.get("PATH")) if _HELPER_NAME.match(name) else None
    if path is None:
        log.warning("credential helper not found", extra={"helper": program})
        return None
    try:
        done = subprocess.run(
            [path, "get"],
            input=server,
            capture_output=True,
            text=True,
            timeout=HELPER_TIMEOUT,
            env=dict(env),
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("credential helper failed", extra={"helper": program, "reason": str(exc)})
        return None
    if done.returncode != 0:
        if _NOT_FOUND not in done.stdout + done.stderr:
            log.warning(
                "credential helper failed", extra={"helper": program, "code": done.returncode}
            )
        return None
    try:
        answer = json.loads(done.stdout)
        username, secret = str(answer["Username"]), str(answer["Secret"])
    except (ValueError, KeyError, TypeError):
        log.warning("credential helper answered nonsense", extra={"helper": program})
        return None
    source = program
    if username == "<token>":  # Docker's convention for an identity (refresh) token
        return Credentials(source, identity_token=secret)
    return Credentials(source, username, secret)


def _entry(table: Mapping[str, Any], registry: str) -> Any:
    """The value whose key names `registry` (keys may carry a scheme and a path)."""
    if registry in table:
        return table[registry]
    for key, value in table.items():
        if config_key_host(key) == registry:
            return value
    return None


def _from_auths(entry: Mapping[str, Any], registry: str) -> Credentials | None:
    """Decode an `auths` entry: `auth` (base64 user:password), or the explicit fields."""
    source = "docker config"
    token, registry_token = entry.get("identitytoken"), entry.get("registrytoken")
    if isinstance(registry_token, str) and registry_token:
        return Credentials(source, registry_token=registry_token)
    username, password = entry.get("username"), entry.get("password")
    encoded = entry.get("auth")
    if isinstance(encoded, str) and encoded:
        redact.register(encoded)
        try:
            username, _, password = base64.b64decode(encoded).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            log.warning("docker config auth entry is not base64", extra={"registry": registry})
            return None
    if isinstance(token, str) and token:
        return Credentials(source, username if isinstance(username, str) else None, None, token)
    if isinstance(username, str) and isinstance(password, str) and username and password:
        return Credentials(source, username, password)
    return None
