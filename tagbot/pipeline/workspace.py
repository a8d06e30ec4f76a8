"""Opening the config repository to publish from: a failure there is a setup error (exit 2),
found before any file is read, edited or pushed."""

from __future__ import annotations

from pathlib import Path

from tagbot import provider
from tagbot.errors import ConfigError, GitError
from tagbot.models import GitOptions


def open_checkout(options: GitOptions, workdir: Path, cwd: Path) -> provider.Workspace:
    """The workspace of `options` (the checkout around `cwd` for `.`, else a clone in
    `workdir`); ConfigError when it cannot be opened: no git checkout, no `origin`, a
    repository that does not exist or refuses us."""
    try:
        return provider.open_workspace(options, workdir, cwd=cwd)
    except GitError as exc:
        where = cwd if options.repository == "." else options.repository
        raise ConfigError(f"cannot open the config repository {where}: {exc}") from None
