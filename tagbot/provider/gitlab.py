"""GitLab merge requests through python-gitlab: find tagbot's open MR, update it or open one."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tagbot import redact
from tagbot.errors import ConfigError, ProviderError
from tagbot.models import ChangeSet, FileEdit, ProposalResult
from tagbot.provider.target import Target

if TYPE_CHECKING:  # python-gitlab costs ~200 ms to import: only the functions that publish load it
    from gitlab.v4.objects import Project, ProjectMergeRequest

log = logging.getLogger(__name__)


def propose(target: Target, changes: ChangeSet, pushed: bool) -> ProposalResult:
    """Open or refresh the MR for `changes.branch`; an "already exists" answer is success."""
    with _errors():
        project = _project(target)
        mr, created = _find(project, changes.branch), False
        if mr is None:
            mr, created = _create(project, target, changes)
        changed = created or pushed
        if not created:
            changed = _refresh(mr, target, changes) or changed
        url = redact.scrub(mr.web_url)  # a server's string: it may echo a secret
        return ProposalResult(changes.branch, url, mr.iid, created, changed)


def check(target: Target) -> None:
    """One call that proves the credential can see the project; ConfigError naming its source."""
    from gitlab.exceptions import GitlabError

    if target.credential is not None and target.credential.kind == "job":
        return  # a job token may not read the project API; git itself tells whether it works
    try:
        _project(target)
    except GitlabError as exc:
        if exc.response_code in (401, 403):
            raise ConfigError(
                f"GitLab refused the token in {target.source} "
                f"({exc.response_code}: {exc.error_message})"
            ) from None
        if exc.response_code == 404:
            raise ConfigError(
                f"GitLab has no project {target.project}, or the token in {target.source} "
                "cannot see it"
            ) from None
        message = f"GitLab answered {exc.response_code}: {exc.error_message}"
        raise ProviderError(redact.scrub(message)) from None
    except OSError as exc:
        raise ProviderError(redact.scrub(f"GitLab unreachable: {exc}")) from None


def commit(
    target: Target,
    branch: str,
    parent: str,
    tip: str | None,
    edits: Sequence[FileEdit],
    message: str,
) -> str | None:
    """Commit `edits` through the commits API; the new commit id, or None on a race."""
    from tagbot.provider import gitlab_commits

    with _errors():
        return gitlab_commits.create(_project(target), branch, parent, tip, edits, message)


def close(target: Target, branches: Sequence[str], comment: str) -> list[ProposalResult]:
    """Close the open MRs of `branches` with `comment`; branches without one are skipped."""
    closed = []
    with _errors():
        project = _project(target)
        for branch in branches:
            mr = _find(project, branch)
            if mr is None:
                continue
            mr.notes.create({"body": comment})
            mr.state_event = "close"
            mr.save()
            url = redact.scrub(mr.web_url)
            closed.append(ProposalResult(branch, url, mr.iid, False, True))
    return closed


def _project(target: Target) -> Project:
    import gitlab

    timeout = min(target.timeout, 30)
    if target.credential is not None and target.credential.kind == "job":
        client = gitlab.Gitlab(target.api_url, job_token=target.token, timeout=timeout)
    else:
        client = gitlab.Gitlab(target.api_url, private_token=target.token, timeout=timeout)
    return client.projects.get(target.project)


def _find(project: Project, branch: str) -> ProjectMergeRequest | None:
    found = project.mergerequests.list(state="opened", source_branch=branch, get_all=True)
    return next((mr for mr in found if mr.source_branch == branch), None)


def _create(
    project: Project, target: Target, changes: ChangeSet
) -> tuple[ProjectMergeRequest, bool]:
    from gitlab.exceptions import GitlabCreateError

    data: dict[str, Any] = {
        "source_branch": changes.branch,
        "target_branch": target.base,
        "title": changes.title,
        "description": changes.body,
        "remove_source_branch": True,
    }
    if target.labels:
        data["labels"] = list(target.labels)
    reviewers = _user_ids(project, target.reviewers)
    if reviewers:
        data["reviewer_ids"] = reviewers
    assignees = _user_ids(project, target.assignees)
    if assignees:
        data["assignee_ids"] = assignees
    try:
        return project.mergerequests.create(data), True
    except GitlabCreateError as exc:
        # A racing run opened it between our look and our create: find it and update it instead.
        if exc.response_code != 409:
            raise
    mr = _find(project, changes.branch)
    if mr is None:
        raise ProviderError(f"GitLab says an MR for {changes.branch} exists but does not list it")
    return mr, False


def _refresh(mr: ProjectMergeRequest, target: Target, changes: ChangeSet) -> bool:
    dirty = False
    if mr.title != changes.title:
        mr.title, dirty = changes.title, True
    if _norm(mr.description) != _norm(changes.body):
        mr.description, dirty = changes.body, True
    if mr.target_branch != target.base:
        mr.target_branch, dirty = target.base, True
    missing = [name for name in target.labels if name not in mr.labels]
    if missing:
        mr.labels, dirty = [*mr.labels, *missing], True
    if dirty:
        mr.save()
    return dirty


def _user_ids(project: Project, names: Sequence[str]) -> list[int]:
    ids = []
    for name in names:
        users = project.manager.gitlab.users.list(username=name, get_all=False)
        if not users:
            log.warning("user not found on GitLab", extra={"user": name})
            continue
        ids.append(int(users[0].id))
    return ids


def _norm(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


@contextmanager
def _errors() -> Iterator[None]:
    from gitlab.exceptions import GitlabError

    try:
        yield
    except GitlabError as exc:
        message = redact.scrub(f"GitLab answered {exc.response_code}: {exc.error_message}")
        raise ProviderError(message) from None
    except OSError as exc:  # requests' ConnectionError is an OSError
        raise ProviderError(redact.scrub(f"GitLab unreachable: {exc}")) from None
