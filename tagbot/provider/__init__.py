"""Publishing change sets: commit and push with `git`, then open or update a GitHub PR / GitLab MR."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from tagbot.errors import ConfigError
from tagbot.models import ChangeSet, GitOptions, ProposalResult, ProviderName
from tagbot.provider import github, gitlab
from tagbot.provider.branches import push_base, push_branch
from tagbot.provider.commits import Reapply
from tagbot.provider.git import Workspace, open_workspace
from tagbot.provider.remote import Target, target_for

__all__ = [
    "PROVIDERS",
    "Reapply",
    "Workspace",
    "close_superseded",
    "open_workspace",
    "preflight",
    "publish",
]

SUPERSEDED = "Superseded by a newer update from tagbot; closing."


class Forge(Protocol):
    """What a provider does after the branch is pushed: propose it, and close old proposals."""

    def propose(self, target: Target, changes: ChangeSet, pushed: bool) -> ProposalResult: ...

    def close(
        self, target: Target, branches: Sequence[str], comment: str
    ) -> list[ProposalResult]: ...


class PlainGit:
    """Provider `git`: the pushed branch is the proposal; there is nothing to open or close."""

    def propose(self, target: Target, changes: ChangeSet, pushed: bool) -> ProposalResult:
        """The pushed branch, without a URL."""
        return ProposalResult(changes.branch, changed=pushed)

    def close(self, target: Target, branches: Sequence[str], comment: str) -> list[ProposalResult]:
        """Nothing: plain git has no proposals to close (the branches are left for people)."""
        return []


PROVIDERS: dict[ProviderName, Forge] = {"git": PlainGit(), "github": github, "gitlab": gitlab}


def provider(name: str) -> Forge:
    """The provider called `name`; ConfigError for an unknown one."""
    for known, forge in PROVIDERS.items():
        if known == name:
            return forge
    choices = ", ".join(sorted(PROVIDERS))
    raise ConfigError(f"unknown git provider {name!r} (known: {choices})")


def publish(
    ws: Workspace, options: GitOptions, changes: ChangeSet, reapply: Reapply
) -> ProposalResult:
    """Commit `changes` and push them (push mode) or propose them on their own branch (PR mode).

    `reapply(root)` re-runs the editor on fresh files under `root` when the base moved under
    the edits. `changed` is False when nothing needed doing: no commit, no push, no PR change.
    """
    forge = provider(options.provider)
    if options.mode == "push":
        return push_base(ws, options, changes, reapply)
    target = target_for(options, ws.remote_url, ws.base)  # a missing token fails before pushing
    pushed = push_branch(ws, options, changes, reapply)
    if pushed is None:
        return ProposalResult(changes.branch, changed=False)  # the base already has the edits
    return forge.propose(target, changes, pushed)


def preflight(ws: Workspace, options: GitOptions) -> None:
    """Fail before any planning when publishing could not work: a PR/MR mode without a token
    or project raises ConfigError now, not after every registry was asked."""
    if options.mode == "pull-request":
        target_for(options, ws.remote_url, ws.base)


def close_superseded(
    ws: Workspace, options: GitOptions, branches: Iterable[str], comment: str = SUPERSEDED
) -> list[ProposalResult]:
    """Close tagbot's open PRs/MRs on `branches` with `comment`; branches outside
    `options.branch_prefix` are never touched. Returns the proposals closed."""
    mine = sorted({b for b in branches if b.startswith(options.branch_prefix)})
    if not mine or options.mode == "push":
        return []
    forge = provider(options.provider)
    return forge.close(target_for(options, ws.remote_url, ws.base), mine, comment)
