"""GitHub pull requests through PyGithub: find tagbot's open PR, update it or open one, close old ones."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tagbot import redact
from tagbot.errors import ConfigError, ProviderError
from tagbot.models import ChangeSet, FileEdit, ProposalResult
from tagbot.provider.target import Target

if TYPE_CHECKING:  # PyGithub costs ~150 ms to import: only the functions that publish load it
    from github import Github
    from github.PullRequest import PullRequest
    from github.Repository import Repository

log = logging.getLogger(__name__)


def propose(target: Target, changes: ChangeSet, pushed: bool) -> ProposalResult:
    """Open or refresh the PR for `changes.branch`; an "already exists" answer is success."""
    with _errors("GitHub"):
        repo = _repo(target)
        pull, created = _find(repo, changes.branch), False
        if pull is None:
            pull, created = _create(repo, target, changes)
        changed = created or pushed
        if not created:
            changed = _refresh(pull, target, changes) or changed
        changed = _label(pull, target.labels) or changed
        if created and target.reviewers:
            _request_reviews(pull, target.reviewers)
        if created and target.assignees:
            pull.add_to_assignees(*target.assignees)
        url = redact.scrub(pull.html_url)  # a server's string: it may echo a secret
        return ProposalResult(changes.branch, url, pull.number, created, changed)


def check(target: Target) -> None:
    """One call that proves the credential can see the repository; ConfigError naming its source."""
    from github import GithubException

    try:
        _client(target).get_repo(target.project)
    except GithubException as exc:
        if exc.status in (401, 403):
            raise ConfigError(
                f"GitHub refused the token in {target.source} ({exc.status}: {_message(exc)})"
            ) from None
        if exc.status == 404:
            raise ConfigError(
                f"GitHub has no repository {target.project}, or the token in {target.source} "
                "cannot see it"
            ) from None
        raise ProviderError(
            redact.scrub(f"GitHub answered {exc.status}: {_message(exc)}")
        ) from None
    except OSError as exc:
        raise ProviderError(redact.scrub(f"GitHub unreachable: {exc}")) from None


def close(target: Target, branches: Sequence[str], comment: str) -> list[ProposalResult]:
    """Close the open PRs of `branches` with `comment`; branches without one are skipped."""
    closed = []
    with _errors("GitHub"):
        repo = _repo(target)
        for branch in branches:
            pull = _find(repo, branch)
            if pull is None:
                continue
            pull.create_issue_comment(comment)
            pull.edit(state="closed")
            url = redact.scrub(pull.html_url)
            closed.append(ProposalResult(branch, url, pull.number, False, True))
    return closed


def commit(
    target: Target,
    branch: str,
    parent: str,
    tip: str | None,
    edits: Sequence[FileEdit],
    message: str,
) -> str | None:
    """Commit `edits` on `parent` as `branch`'s tip through GraphQL (GitHub signs it); the new
    commit id, or None when the branch moved first."""
    from tagbot.provider import github_commits

    with _errors("GitHub"):
        return github_commits.create(
            _client(target), target.project, branch, parent, tip, edits, message
        )


def _repo(target: Target) -> Repository:
    return _client(target).get_repo(target.project)


def _client(target: Target) -> Github:
    """A PyGithub client with the target's token, or the App's self-refreshing installation auth."""
    from github import Auth, Github

    from tagbot.provider.credentials import GitHubApp

    # PyGithub spaces writes a second apart (GitHub's secondary rate limit); a loopback API is a
    # test server or a proxy, where that would only make runs slow.
    spacing: dict[str, Any] = (
        {"seconds_between_requests": None, "seconds_between_writes": None}
        if target.loopback
        else {}
    )
    cred = target.credential
    auth = cred.auth() if isinstance(cred, GitHubApp) else Auth.Token(target.token)
    timeout = int(min(target.timeout, 30))
    return Github(base_url=target.api_url, auth=auth, retry=None, timeout=timeout, **spacing)


def _find(repo: Repository, branch: str) -> PullRequest | None:
    owner = repo.full_name.split("/")[0]
    for pull in repo.get_pulls(state="open", head=f"{owner}:{branch}"):
        if pull.head.ref == branch:
            return pull
    return None


def _create(repo: Repository, target: Target, changes: ChangeSet) -> tuple[PullRequest, bool]:
    from github import GithubException

    try:
        pull = repo.create_pull(
            base=target.base, head=changes.branch, title=changes.title, body=changes.body
        )
        return pull, True
    except GithubException as exc:
        # A racing run opened it between our look and our create: find it and update it instead.
        if exc.status != 422 or "already exists" not in str(exc.data):
            raise
    found = _find(repo, changes.branch)
    if found is None:
        raise ProviderError(f"GitHub says a PR for {changes.branch} exists but does not list it")
    return found, False


def _refresh(pull: PullRequest, target: Target, changes: ChangeSet) -> bool:
    edits: dict[str, Any] = {}
    if pull.title != changes.title:
        edits["title"] = changes.title
    if _norm(pull.body) != _norm(changes.body):
        edits["body"] = changes.body
    if pull.base.ref != target.base:
        edits["base"] = target.base
    if edits:
        pull.edit(**edits)
    return bool(edits)


def _label(pull: PullRequest, labels: Sequence[str]) -> bool:
    have = {label.name for label in pull.labels}
    missing = [name for name in labels if name not in have]
    if missing:
        pull.add_to_labels(*missing)
    return bool(missing)


def _request_reviews(pull: PullRequest, reviewers: Sequence[str]) -> None:
    from github import GithubException

    users = [r for r in reviewers if "/" not in r]
    teams = [r.split("/", 1)[1] for r in reviewers if "/" in r]  # `org/team` names a team
    try:
        pull.create_review_request(reviewers=users, team_reviewers=teams)
    except GithubException as exc:  # an unknown reviewer must not undo an opened PR
        log.warning("reviewers not requested", extra={"pr": pull.number, "status": exc.status})


def _norm(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").strip()


def _message(exc: Exception) -> str:
    data = getattr(exc, "data", None)
    return str(data.get("message") if isinstance(data, dict) else data)


@contextmanager
def _errors(forge: str) -> Iterator[None]:
    from github import GithubException

    try:
        yield
    except GithubException as exc:
        message = _message(exc)
        raise ProviderError(redact.scrub(f"{forge} answered {exc.status}: {message}")) from None
    except OSError as exc:  # requests' ConnectionError is an OSError
        raise ProviderError(redact.scrub(f"{forge} unreachable: {exc}")) from None
