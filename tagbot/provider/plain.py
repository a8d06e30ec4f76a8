"""Provider `git`: the pushed branch is the proposal; nothing to check, open, close or sign."""

from __future__ import annotations

from collections.abc import Sequence

from tagbot.errors import ConfigError
from tagbot.models import ChangeSet, FileEdit, ProposalResult
from tagbot.provider.target import Target


def check(target: Target) -> None:
    """Nothing: plain git has no API to ask."""


def commit(
    target: Target,
    branch: str,
    parent: str,
    tip: str | None,
    edits: Sequence[FileEdit],
    message: str,
) -> str | None:
    """Never: commits through an API need a forge."""
    raise ConfigError("git.commit_via api needs provider github or gitlab")


def propose(target: Target, changes: ChangeSet, pushed: bool) -> ProposalResult:
    """The pushed branch, without a URL."""
    return ProposalResult(changes.branch, changed=pushed)


def close(target: Target, branches: Sequence[str], comment: str) -> list[ProposalResult]:
    """Nothing: plain git has no proposals to close (the branches are left for people)."""
    return []
