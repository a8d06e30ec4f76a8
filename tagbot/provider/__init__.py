"""Publishing change sets: commit and push with `git`, then open or update a GitHub PR / GitLab MR."""

from __future__ import annotations

from collections.abc import Iterable

from tagbot.errors import ConfigError
from tagbot.models import ChangeSet, GitOptions, ProposalResult
from tagbot.provider.branches import branch_files, push_base, push_branch
from tagbot.provider.check import check_credential, needs_api
from tagbot.provider.commits import Reapply
from tagbot.provider.forges import PROVIDERS, Forge, Provider, provider
from tagbot.provider.git import Workspace
from tagbot.provider.remote import target_for
from tagbot.provider.workspace import open_workspace

__all__ = [
    "PROVIDERS",
    "Forge",
    "Provider",
    "Reapply",
    "Workspace",
    "branch_files",
    "close_superseded",
    "open_workspace",
    "preflight",
    "provider",
    "publish",
]

SUPERSEDED = "Superseded by a newer update from tagbot; closing."


def publish(
    ws: Workspace, options: GitOptions, changes: ChangeSet, reapply: Reapply
) -> ProposalResult:
    """Commit `changes` and push them (push mode) or propose them on their own branch (PR mode).

    `reapply(root)` re-runs the editor on fresh files under `root` when the base moved under
    the edits. `changed` is False when nothing needed doing: no commit, no push, no PR change.
    """
    forge = provider(options.provider).forge
    if options.mode == "push":
        return push_base(ws, options, changes, reapply)
    # A missing token fails here, before anything is pushed.
    target = target_for(options, ws.remote_url, ws.base, ws.credential)
    pushed = push_branch(ws, options, changes, reapply)
    if pushed is None:
        return ProposalResult(changes.branch, changed=False)  # the base already has the edits
    return forge.propose(target, changes, pushed)


def preflight(ws: Workspace, options: GitOptions) -> None:
    """Fail before any planning when publishing could not work: a PR/MR mode without a token,
    a token the forge refuses, a CI job token asked to open MRs, `commit_via: api` without a
    forge all raise ConfigError now, not after every registry was asked."""
    if options.commit_via == "api" and options.provider == "git":
        raise ConfigError("git.commit_via api needs provider github or gitlab")
    if not needs_api(options):
        return
    target = target_for(options, ws.remote_url, ws.base, ws.credential)
    if target.credential is not None and target.credential.kind == "job":
        raise ConfigError(
            f"{target.source} is GitLab's CI job token: it can push, but GitLab does not let it "
            "open merge requests or make commits by API; set a project access token in $GITLAB_TOKEN"
        )
    check_credential(ws, options)


def close_superseded(
    ws: Workspace, options: GitOptions, branches: Iterable[str], comment: str = SUPERSEDED
) -> list[ProposalResult]:
    """Close tagbot's open PRs/MRs on `branches` with `comment`; branches outside
    `options.branch_prefix` are never touched. Returns the proposals closed."""
    mine = sorted({b for b in branches if b.startswith(options.branch_prefix)})
    if not mine or options.mode == "push":
        return []
    forge = provider(options.provider).forge
    return forge.close(target_for(options, ws.remote_url, ws.base, ws.credential), mine, comment)
