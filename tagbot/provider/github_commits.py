"""Verified commits on GitHub: GraphQL `createCommitOnBranch`, one call per commit, guarded by
`expectedHeadOid` so a branch that moved is a race (retried like a rejected push)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import quote

from tagbot.models import FileEdit
from tagbot.provider.commits import file_bytes

if TYPE_CHECKING:
    from github import Github, GithubException

# GitHub's GraphQL error when `expectedHeadOid` is not the branch tip, and REST's for a ref
# created by someone else first.
_STALE = ("STALE_DATA", "Expected branch to point to", "Reference already exists")


def create(
    client: Github,
    project: str,
    branch: str,
    parent: str,
    tip: str | None,
    edits: Sequence[FileEdit],
    message: str,
) -> str | None:
    """Commit `edits` on `parent` as `branch`'s new tip: the branch is created at `parent` when
    missing (`tip` None) or moved back to it first (a PR branch being rebuilt). Returns the new
    commit's id, or None when the branch moved under us."""
    from github import GithubException

    requester = client.requester
    refs = f"/repos/{project}/git/refs"
    try:
        if tip is None:
            requester.requestJsonAndCheck(
                "POST", refs, input={"ref": f"refs/heads/{branch}", "sha": parent}
            )
        elif tip != parent:
            url = f"{refs}/heads/{quote(branch)}"
            requester.requestJsonAndCheck("PATCH", url, input={"sha": parent, "force": True})
        headline, _, body = message.strip().partition("\n\n")
        additions = [
            {"path": e.path, "contents": base64.b64encode(file_bytes(e)).decode()}
            for e in edits
            if e.changed
        ]
        mutation = {
            "branch": {"repositoryNameWithOwner": project, "branchName": branch},
            "message": {"headline": headline.strip(), "body": body.strip()},
            "fileChanges": {"additions": additions},
            "expectedHeadOid": parent,
        }
        _, data = requester.graphql_named_mutation(
            "createCommitOnBranch", mutation, "commit { oid }"
        )
    except GithubException as exc:
        if _stale(exc):
            return None
        raise
    return str(data["commit"]["oid"])


def _stale(exc: GithubException) -> bool:
    text = str(exc.data)
    return exc.status in (400, 409, 422) and any(words in text for words in _STALE)
