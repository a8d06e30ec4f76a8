"""Commits made by GitLab: the commits API with one action per file (base64, so CRLF and a BOM
arrive as they are), each guarded by the file's last commit, so a file that moved is a race."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tagbot.models import FileEdit
from tagbot.provider.commits import file_bytes

if TYPE_CHECKING:
    from gitlab.v4.objects import Project

# GitLab's answers when a file changed since `last_commit_id`, or the branch appeared meanwhile.
_STALE = ("changed since", "already exists")


def create(
    project: Project,
    branch: str,
    parent: str,
    tip: str | None,
    edits: Sequence[FileEdit],
    message: str,
) -> str | None:
    """Commit `edits` on `branch`: started from `parent` when the branch is missing (`tip` None)
    or being rebuilt (`tip` elsewhere, replaced with `force`). Returns the commit id, or None
    when a file or the branch moved under us."""
    from gitlab.exceptions import GitlabCreateError

    changed = [e for e in edits if e.changed]
    data: dict[str, Any] = {"branch": branch, "commit_message": message.strip()}
    if tip is None or tip != parent:
        data.update(start_sha=parent, force=tip is not None)
    actions = []
    for edit in changed:
        action: dict[str, Any] = {
            "action": "update",
            "file_path": edit.path,
            "content": base64.b64encode(file_bytes(edit)).decode(),
            "encoding": "base64",
        }
        if tip == parent:  # onto the live branch: refuse if the file changed since `parent`
            action["last_commit_id"] = _last_commit(project, parent, edit.path)
        actions.append(action)
    data["actions"] = actions
    try:
        created = project.commits.create(data)
    except GitlabCreateError as exc:
        if exc.response_code == 400 and any(w in str(exc.error_message) for w in _STALE):
            return None
        raise
    return str(created.id)


def _last_commit(project: Project, ref: str, path: str) -> str:
    """The last commit at or before `ref` that touched `path` (GitLab compares with this one)."""
    # `path` is python-gitlab's own keyword (the URL), so the filter goes in query_parameters.
    query = {"ref_name": ref, "path": path, "per_page": 1}
    found = project.commits.list(query_parameters=query, get_all=False)
    return str(found[0].id) if found else ref
