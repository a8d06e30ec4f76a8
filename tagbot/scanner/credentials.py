"""Where a registry's credentials come from: env vars named in the config, docker config, CI."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from tagbot import redact
from tagbot.models import RegistryOptions

log = logging.getLogger("tagbot.scanner")

# The username a registry expects beside a bare access token (token_env without username_env).
_TOKEN_USERS = (
    ("gcr.io", "oauth2accesstoken"),
    ("pkg.dev", "oauth2accesstoken"),
    ("azurecr.io", "00000000-0000-0000-0000-000000000000"),
    ("amazonaws.com", "AWS"),
)
DEFAULT_TOKEN_USER = "tagbot"


@dataclass(frozen=True)
class Credentials:
    """A registry login and where it came from; `source` names it in messages, never its value."""

    source: str
    username: str | None = None
    password: str | None = None
    identity_token: str | None = None  # an OAuth2 refresh token (docker config `identitytoken`)
    registry_token: str | None = None  # a bearer token sent as is (docker config `registrytoken`)

    def __post_init__(self) -> None:
        for secret in (self.password, self.identity_token, self.registry_token):
            redact.register(secret)

    def __repr__(self) -> str:
        return f"Credentials(source={self.source!r}, username={self.username!r})"


def token_user(registry: str) -> str:
    """The username that goes with a bare token on this registry (Google, Azure, AWS, others)."""
    host = registry.split(":", 1)[0].lower()
    for suffix, user in _TOKEN_USERS:
        if host == suffix or host.endswith("." + suffix):
            return user
    return DEFAULT_TOKEN_USER


def from_options(
    registry: str, options: RegistryOptions, env: Mapping[str, str]
) -> Credentials | None:
    """Credentials from the env vars the config names; an unset variable is a warning."""
    username = _env(options.username_env, env)
    token = _env(options.token_env, env)
    if token:
        return Credentials(f"${options.token_env}", username or token_user(registry), token)
    password = _env(options.password_env, env)
    if password:
        if not username:
            log.warning(
                "registry password set without a username",
                extra={"registry": registry, "password_env": options.password_env},
            )
            return None
        return Credentials(f"${options.password_env}", username, password)
    return None


def from_ci(registry: str, env: Mapping[str, str]) -> Credentials | None:
    """CI conventions: GitHub Actions' GITHUB_TOKEN for ghcr.io, GitLab CI's job registry login."""
    if registry == "ghcr.io" and env.get("GITHUB_TOKEN"):
        user = env.get("GITHUB_ACTOR") or DEFAULT_TOKEN_USER
        return Credentials("$GITHUB_TOKEN", user, env["GITHUB_TOKEN"])
    ci_registry = env.get("CI_REGISTRY", "").lower()
    ci_user, ci_password = env.get("CI_REGISTRY_USER"), env.get("CI_REGISTRY_PASSWORD")
    if ci_registry and registry == ci_registry and ci_user and ci_password:
        return Credentials("$CI_REGISTRY_PASSWORD", ci_user, ci_password)
    return None


def _env(name: str | None, env: Mapping[str, str]) -> str | None:
    if not name:
        return None
    value = env.get(name)
    if not value:
        log.warning("credential variable is not set", extra={"variable": name})
        return None
    return value
