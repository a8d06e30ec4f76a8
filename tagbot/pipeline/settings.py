"""Where and how `set` publishes: the `git:` section of a config with the CLI's flags over it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from tagbot import provider
from tagbot.errors import ConfigError
from tagbot.models import GitMode, GitOptions, ProviderName
from tagbot.pipeline.run import local_root


@dataclass(frozen=True)
class Publishing:
    """Where set publishes from (the top of the checkout around its first path), and how."""

    start: Path
    options: GitOptions


def publishing(
    mode: GitMode,
    paths: Sequence[Path],
    config: Path | None = None,
    *,
    provider_name: str | None = None,
    api_url: str | None = None,
    project: str | None = None,
) -> Publishing:
    """The `git:` section of `config` (defaults without one) in `mode`, for the checkout around
    `paths`, with the flags given over it; ConfigError for a bad config or provider, or when
    there is no checkout (checked before set writes anything)."""
    from tagbot.config import load_config  # pydantic: only `set --commit/--pr` pays for it

    start = checkout_root(paths[0] if paths else Path("."))
    options = load_config(config).git_options() if config is not None else GitOptions()
    return Publishing(
        start,
        replace(
            options,
            repository=".",  # set edits the checkout it runs in, so that is what gets published
            mode=mode,
            provider=forge_name(provider_name) if provider_name else options.provider,
            api_url=api_url or options.api_url,
            project=project or options.project,
        ),
    )


def forge_name(name: str) -> ProviderName:
    """A provider name checked against the providers tagbot has; ConfigError otherwise."""
    for known in provider.PROVIDERS:
        if known == name:
            return known
    choices = ", ".join(provider.PROVIDERS)
    raise ConfigError(f"--provider must be one of {choices}, got {name!r}")


def checkout_root(start: Path) -> Path:
    """The top of the git checkout around `start`; ConfigError outside any checkout."""
    root = local_root(start if start.is_dir() else start.parent)
    if not (root / ".git").exists():
        raise ConfigError(f"--commit and --pull-request need a git checkout; {root} is in none")
    return root
