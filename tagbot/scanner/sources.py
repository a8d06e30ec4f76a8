"""Where registry credentials come from, in the order they are asked: one list, one place.

A new source (a cloud provider's token, say) is one function and one entry in `SOURCES`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tagbot.models import RegistryOptions
from tagbot.scanner import dockerconfig
from tagbot.scanner.credentials import Credentials, from_ci, from_options

# (registry, its options, the environment) -> credentials, or None to ask the next source.
Source = Callable[[str, RegistryOptions, Mapping[str, str]], Credentials | None]


def _env_vars(
    registry: str, options: RegistryOptions, env: Mapping[str, str]
) -> Credentials | None:
    """The env vars the config names (`username_env`/`password_env`, `token_env`)."""
    return from_options(registry, options, env)


def _credential_helper(
    registry: str, options: RegistryOptions, env: Mapping[str, str]
) -> Credentials | None:
    """The docker config's credential helper for the registry (`credHelpers`, `credsStore`)."""
    return dockerconfig.from_helper(_docker_config(env), registry, env)


def _docker_config(env: Mapping[str, str]) -> dict[str, Any]:
    return dockerconfig.load(dockerconfig.config_path(env))


def _docker_auths(
    registry: str, options: RegistryOptions, env: Mapping[str, str]
) -> Credentials | None:
    """The docker config's `auths` entry (what `docker login` stores without a helper)."""
    return dockerconfig.from_auths(_docker_config(env), registry)


def _ci_tokens(
    registry: str, options: RegistryOptions, env: Mapping[str, str]
) -> Credentials | None:
    """CI conventions: GITHUB_TOKEN for ghcr.io, GitLab CI's job registry login."""
    return from_ci(registry, env)


# Docker's own order for the docker config (helper before `auths`), after what the config names
# and before CI's implicit tokens, which only apply when nothing explicit was set.
SOURCES: tuple[tuple[str, Source], ...] = (
    ("env", _env_vars),
    ("credential helper", _credential_helper),
    ("docker config", _docker_auths),
    ("ci token", _ci_tokens),
)


def find_credentials(
    registry: str, options: RegistryOptions, env: Mapping[str, str]
) -> Credentials | None:
    """The first credentials any source in `SOURCES` has for `registry`, else None."""
    for _name, source in SOURCES:
        found = source(registry, options, env)
        if found is not None:
            return found
    return None
