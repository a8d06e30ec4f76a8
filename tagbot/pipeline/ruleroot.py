"""Where `references:` rules look: the names `scan --config` and `set --config` match their
globs against (paths relative to the config repository's root, as `plan` and `run` see them,
whatever PATH was given and wherever the command runs), and `validate`'s check that each rule
matches something."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot.models import Problem, StatedReference
from tagbot.pipeline.files import Names, discover
from tagbot.pipeline.run import local_root
from tagbot.pipeline.stated import matching, unused

if TYPE_CHECKING:
    from tagbot.config import Config


def config_rules(
    config_file: Path | None, roots: Sequence[Path]
) -> tuple[tuple[StatedReference, ...], Names | None]:
    """The `references:` rules of `config_file` (none without one) and the names `scan` and
    `set` match them against, for files under `roots`; ConfigError for a bad config."""
    if config_file is None:
        return (), None
    from tagbot.config import load_config  # pydantic: only with a config

    config = load_config(config_file)
    return config.stated_references(), repository_names(config, config_file, roots)


def repository_names(config: Config, config_file: Path, roots: Sequence[Path]) -> Names:
    """A file's path relative to the root `plan` reads: the top of the git checkout holding
    `config_file` when the config plans it (`git.repository: .`); else, or for a file outside
    it, the top of the checkout holding the PATH it was found under (a clone of the remote the
    config names), or that PATH outside any checkout."""
    bases = [local_root(config_file.absolute().parent)] if _plans_here(config) else []
    for root in roots:
        bases.append(local_root(root if root.is_dir() else root.absolute().parent))

    def name(path: Path) -> str | None:
        # The file itself first: a PATH that is a link into the checkout (`scan web` for
        # charts/web) names what plan reads. Then as given, `..` folded: a link that leaves the
        # checkout, which plan never follows, is named by where it sits.
        for candidate in (path.resolve(), Path(os.path.abspath(path))):
            for base in bases:
                if candidate.is_relative_to(base):
                    return candidate.relative_to(base).as_posix()
        return None

    return name


def unused_rules(config: Config, config_file: Path) -> list[Problem]:
    """A note for each `references:` rule that matches nothing in the checkout holding
    `config_file`, as `plan` gives; none when the config names another repository (`git.repository`
    a URL, or `repositories`): the files it would match are not here."""
    if not config.references or not _plans_here(config):
        return []
    stated = config.stated_references()

    def wants(rel: str) -> bool:  # only the files some rule names need reading
        return config.wants(rel) and bool(matching(rel, stated))

    found = discover([local_root(config_file.absolute().parent)], wants, stated)
    return unused(stated, found.rule_use)


def _plans_here(config: Config) -> bool:
    """True when `plan` reads the checkout holding the config, not a clone of a remote."""
    return config.git.repository == "." and not config.repositories
