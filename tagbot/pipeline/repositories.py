"""The repositories of a config one at a time: each of `repositories:` as a config of its own
(for the server's workers and the environment commands), and the one `--repository` names."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from tagbot.errors import ConfigError

if TYPE_CHECKING:
    from tagbot.config import Config


def per_repository(config: Config) -> list[Config]:
    """The config of each repository the config covers: `repositories` entries become one
    config each (its repository, base branch and project in `git`), else the config itself."""
    if not config.repositories:
        return [config]
    configs = []
    for options in config.repository_options():
        git = config.git.model_copy(
            update={
                "repository": options.repository,
                "base_branch": options.base_branch,
                "project": options.project,
            }
        )
        configs.append(config.model_copy(update={"git": git, "repositories": []}))
    return configs


def short_name(repository: str) -> str:
    """A repository's last path part without `.git`: `https://h/acme/deploy-eu.git` ->
    `deploy-eu`; "" for `.`."""
    if repository == ".":
        return ""
    last = PurePosixPath(repository.rstrip("/").replace("\\", "/").split(":")[-1]).name
    return last.removesuffix(".git")


def _written(config: Config) -> list[tuple[str, str | None]]:
    """Each repository's `repository` and `project` as the config file spells them."""
    if not config.repositories:
        return [(config.git.repository, config.git.project)]
    return [(e.repository, e.project) for e in config.repositories]


def names(config: Config) -> list[set[str]]:
    """The names each repository answers to, in config order: the `repository` as written and
    as resolved, its `project`, and its short name."""
    found = []
    resolved = config.repository_options()
    for (written, project), options in zip(_written(config), resolved, strict=True):
        spellings = {written, options.repository, short_name(options.repository), project or ""}
        found.append({s for s in spellings if s})
    return found


def listed(config: Config) -> str:
    """The repositories as a user would name them, for messages."""
    return ", ".join(short_name(written) or written for written, _ in _written(config))


def repository_named(config: Config, name: str) -> Config:
    """The config of the one repository `name` names (its URL or path as written or resolved,
    its `project`, or its short name); ConfigError listing them when none or several match."""
    matches = [i for i, spellings in enumerate(names(config)) if name in spellings]
    if not matches:
        raise ConfigError(f"no repository {name!r} in the config (known: {listed(config)})")
    if len(matches) > 1:
        raise ConfigError(
            f"{name!r} names {len(matches)} repositories of the config: pass its URL or project"
        )
    return per_repository(config)[matches[0]]


def one_repository(config: Config, name: str | None, command: str) -> Config:
    """The config `command` works on: the repository `name` names, the config itself when it
    covers one repository; ConfigError asking for `--repository` when it covers several."""
    if name is not None:
        return repository_named(config, name)
    if config.repositories:
        raise ConfigError(
            f"this config covers {len(config.repositories)} repositories (`repositories:`): "
            f"`tagbot {command}` changes one; name it with --repository NAME "
            f"(one of: {listed(config)})"
        )
    return config
