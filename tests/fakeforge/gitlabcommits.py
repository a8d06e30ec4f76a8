"""GitLab's commits API in the fake: actions with base64 content, `last_commit_id` checks,
`start_sha` and `force` for new or rebuilt branches, commits stored in the real bare repo."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.fakeforge.gitrepo import BareRepo, commit_files, last_commit
from tests.fakeforge.server import Reply


@dataclass
class CommitLog:
    """What the commits API was asked and did, for tests to assert on."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    made: list[str] = field(default_factory=list)
    stale: int = 0
    before: Callable[[], None] | None = None  # runs before each commit: a rival pushes first


def create_commit(repo: BareRepo, log: CommitLog, data: dict[str, Any]) -> Reply:
    """`POST /projects/:id/repository/commits`."""
    log.calls.append(data)
    if log.before:
        log.before()
    branch, start = data["branch"], data.get("start_sha")
    tip = repo.sha(branch)
    if start and tip and not data.get("force"):
        return 400, {"message": f"A branch called '{branch}' already exists."}
    parent = start or tip
    if parent is None:
        return 400, {"message": "You can only create or edit files when you are on a branch"}
    files: dict[str, bytes] = {}
    for action in data.get("actions", []):
        path = action["file_path"]
        expected = action.get("last_commit_id")
        if expected and last_commit(repo, parent, path) != expected:
            log.stale += 1
            message = (
                "You are attempting to update a file that has changed since you started editing it."
            )
            return 400, {"message": message}
        content = action["content"]
        encoded = action.get("encoding") == "base64"
        files[path] = base64.b64decode(content) if encoded else content.encode()
    message = str(data["commit_message"]) + "\n"
    sha = commit_files(
        repo, branch, parent, files, message, ("tagbot", "bot@example.com"), tip or ""
    )
    if sha is None:
        return 400, {"message": "Could not update the branch: it moved"}
    log.made.append(sha)
    return 201, {"id": sha, "short_id": sha[:8], "title": message.splitlines()[0]}


def list_commits(repo: BareRepo, query: dict[str, str]) -> Reply:
    """`GET /projects/:id/repository/commits?ref_name=R&path=P`: the last commit for the path."""
    ref, path = query.get("ref_name", repo.branch), query.get("path")
    sha = last_commit(repo, ref, path) if path else repo.sha(ref)
    return 200, [{"id": sha, "short_id": sha[:8]}] if sha else []
