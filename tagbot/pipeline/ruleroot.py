"""Where `references:` rules look: the names `scan --config` and `set --config` match their
globs against (paths relative to the config repository's root, as `plan` and `run` see them,
whatever PATH was given and wherever the command runs), and `validate`'s check that each rule
matches something."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from tagbot.models import Problem
from tagbot.pipeline.files import Names, discover
from tagbot.pipeline.run import local_root
from tagbot.pipeline.stated import matching, unused

if TYPE_CHECKING:
    from tagbot.config import Config


def repository_names(config_file: Path, roots: Sequence[Path]) -> Names:
    """A file's path relative to the top of the git checkout holding `config_file`; a file
    outside it, relative to the top of the checkout holding the PATH it was found under (the
    clone of a remote `git.repository`), or to that PATH outside any checkout."""
    bases = [local_root(config_file.absolute().parent)]
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
    if not config.references or config.git.repository != "." or config.repositories:
        return []
    stated = config.stated_references()

    def wants(rel: str) -> bool:  # only the files some rule names need reading
        return config.wants(rel) and bool(matching(rel, stated))

    found = discover([local_root(config_file.absolute().parent)], wants, stated)
    return unused(stated, found.rule_use)
