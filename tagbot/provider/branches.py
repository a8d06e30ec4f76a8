"""Pushing a change set: onto the base branch (push mode) or onto tagbot's own branch (PR mode),
fetching and rebuilding on the new tip when someone pushed first, a bounded number of times."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Sequence

from tagbot.errors import GitError
from tagbot.models import ChangeSet, FileEdit, GitOptions, ProposalResult
from tagbot.provider import commits
from tagbot.provider.commits import Reapply
from tagbot.provider.forges import provider
from tagbot.provider.git import Workspace, fetch, push, remote_tip
from tagbot.provider.remote import target_for

log = logging.getLogger(__name__)
BACKOFF = 0.2  # seconds before the first retry; doubled each time, with full jitter
BACKOFF_CAP = 5.0


def backoff(attempt: int) -> float:
    """Seconds to wait before retry `attempt` (1, 2, ...): "equal jitter" over an exponential
    window (half of it always waited, half random), so racing runs spread out instead of
    colliding again in lockstep, and a loser never retries at once into the winner's next push."""
    window = min(BACKOFF_CAP, BACKOFF * 2 ** (attempt - 1))
    return float(window / 2 + random.uniform(0, window / 2))


def push_base(
    ws: Workspace, options: GitOptions, changes: ChangeSet, reapply: Reapply
) -> ProposalResult:
    """Commit the edits on the base branch and push it, never forcing; rebuild after a race."""
    parent, edits = ws.base_sha, changes.edits
    attempts = options.push_retries + 1
    for attempt in range(attempts):
        if attempt:
            log.info("push rejected, rebuilding on the new tip", extra={"branch": ws.base})
            time.sleep(backoff(attempt))
            parent = fetch(ws, ws.base, depth=1)
        edits = commits.fresh_edits(ws, parent, edits, reapply)
        tree = commits.tree_with(ws, parent, edits)
        if tree == commits.tree_of(ws, parent):
            ws.base_sha = parent
            return ProposalResult(ws.base, changed=False)  # the base already says so
        sha = _land(ws, options, changes, ws.base, parent, parent, tree, edits, lease=None)
        if sha:
            _advance(ws, sha)
            return ProposalResult(ws.base, changed=True)
    raise GitError(f"push to {ws.base} rejected {attempts} times: someone pushed first each time")


def push_branch(
    ws: Workspace, options: GitOptions, changes: ChangeSet, reapply: Reapply
) -> bool | None:
    """Put the edits on `changes.branch`, one commit on the base tip; True when pushed, False
    when the branch already had them, None when the base already has them (nothing to propose)."""
    if changes.branch == ws.base:
        raise GitError(f"refusing to replace the base branch {ws.base}: use push mode")
    parent = ws.base_sha
    edits = commits.fresh_edits(ws, parent, changes.edits, reapply)
    tree = commits.tree_with(ws, parent, edits)
    if tree == commits.tree_of(ws, parent):
        return None
    attempts = options.push_retries + 1
    for attempt in range(attempts):
        if attempt:
            time.sleep(backoff(attempt))
        tip = remote_tip(ws, changes.branch, depth=2)
        if tip and commits.branch_current(ws, tip, parent, tree, edits):
            return False
        # The lease makes a racing run's push fail instead of being overwritten; the next look
        # then finds its commit, which already holds these edits.
        if _land(ws, options, changes, changes.branch, parent, tip, tree, edits, lease=tip or ""):
            return True
    raise GitError(f"push to {changes.branch} rejected {attempts} times: it kept moving")


def branch_files(ws: Workspace, branch: str, paths: Sequence[str]) -> dict[str, str] | None:
    """The text of `paths` on the remote's `branch` (a path the branch lacks is left out); None
    when the remote has no such branch. What an open PR proposes, read with git alone."""
    tip = remote_tip(ws, branch, depth=1)
    if tip is None:
        return None
    texts: dict[str, str] = {}
    for path in paths:
        shown = ws.git.attempt("show", f"{tip}:{path}")
        if shown.returncode == 0:
            texts[path] = shown.stdout.decode("utf-8-sig", errors="replace")
    return texts


def _land(
    ws: Workspace,
    options: GitOptions,
    changes: ChangeSet,
    branch: str,
    parent: str,
    tip: str | None,
    tree: str,
    edits: Sequence[FileEdit],
    lease: str | None,
) -> str | None:
    """Make the commit and put it on `branch`: `git push`, or the forge's API (a commit GitHub
    signs). The new tip, or None when someone else moved the branch first."""
    if options.commit_via == "git":
        sha = commits.commit(ws, tree, parent, changes, options)
        return sha if push(ws, sha, branch, lease) == "pushed" else None
    target = target_for(options, ws.remote_url, ws.base, ws.credential)
    forge = provider(options.provider).forge
    made = forge.commit(target, branch, parent, tip, edits, commits.message(changes))
    if made and branch == ws.base:
        fetch(ws, branch, depth=1)  # the commit exists only on the forge: bring it here
    return made


def _advance(ws: Workspace, sha: str) -> None:
    """Build the next change set on the pushed commit, and bring the checkout along if it can."""
    ws.base_sha = sha
    git = ws.git
    if git.attempt("symbolic-ref", "-q", "HEAD").stdout.decode().strip() != f"refs/heads/{ws.base}":
        return
    if git.attempt("merge", "--ff-only", "--quiet", sha).returncode == 0:
        return
    # The fast-forward fails when the files already hold the pushed text (the caller wrote them):
    # then moving the branch and those index entries is all it would have done. Local commits
    # or other changes to these files are never overwritten.
    old = git.out("rev-parse", "HEAD")
    paths = [p for p in git.out("diff-tree", "-r", "-z", "--name-only", old, sha).split("\0") if p]
    ahead = git.attempt("merge-base", "--is-ancestor", old, sha).returncode == 0
    if not paths or not ahead or git.attempt("diff", "--quiet", sha, "--", *paths).returncode:
        log.info("checkout left behind the pushed commit", extra={"branch": ws.base})
        return
    git.run("reset", "--quiet", sha, "--", *paths)
    git.run("update-ref", f"refs/heads/{ws.base}", sha, old)
