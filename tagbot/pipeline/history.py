"""A reference's history from git alone: which commit put a value on a line, and what the line
held before (`git log -L`), so soak times and rollbacks need no cluster access."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from tagbot.provider.git import Git, Workspace

_MARK = "\x1etagbot-commit "


@dataclass(frozen=True)
class Change:
    """One commit that changed a line: when it landed (committer date), who wrote it, and the
    line before (None when the commit added it) and after."""

    sha: str
    when: datetime
    author: str
    before: str | None
    after: str


def holds_value(line: str | None, value: str) -> bool:
    """True when `value` stands on `line` as a whole token (`1.4.0` is not in `1.4.0-rc.1`)."""
    if line is None or not value:
        return False
    return re.search(rf"(?<![\w.+-]){re.escape(value)}(?![\w.+-])", line) is not None


def value_before(change: Change, value: str) -> str | None:
    """The token that stood where `value` stands now, in the line before `change`; None when
    the line was added or the text around the value changed too."""
    found = re.search(rf"(?<![\w.+-]){re.escape(value)}(?![\w.+-])", change.after)
    if found is None or change.before is None:
        return None
    prefix, before = change.after[: found.start()], change.before
    if not before.startswith(prefix):
        return None
    token = re.match(r"[\w.+-]+", before[len(prefix) :])
    return token.group(0) if token else None


def introduced(changes: list[Change], value: str) -> Change | None:
    """The commit that put `value` on the line (`changes` newest first): the oldest of the
    newest run of commits whose line held it; None when the newest does not hold it."""
    found = None
    for change in changes:
        if not holds_value(change.after, value):
            break
        found = change
        if not holds_value(change.before, value):
            break
    return found


class History:
    """Line histories of one checkout, read once per (path, line)."""

    def __init__(self, root: Path) -> None:
        self._git = Git(root, {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0"})
        self._cache: dict[tuple[str, int, int | None], list[Change]] = {}
        self.problem: str | None = None
        self._first_parents: frozenset[str] | None = None
        if self._git.attempt("rev-parse", "--verify", "--quiet", "HEAD").returncode:
            self.problem = f"soak and holds need git history; {root} is not a git checkout"
        elif self._git.out("rev-parse", "--is-shallow-repository") == "true":
            self.problem = "soak and holds need git history; the checkout is shallow (clone it "
            self.problem += "with full history, e.g. actions/checkout `fetch-depth: 0`)"

    def changes(self, path: str, line: int, limit: int | None = None) -> list[Change]:
        """The commits that changed `line` of `path` at HEAD, newest first (the newest `limit`
        when given); [] without history."""
        key = (path, line, limit)
        if self.problem is not None:
            return []
        if key not in self._cache:
            spec = f"-L{line},{line}:{path}"
            count = (f"--max-count={limit}",) if limit else ()
            log = ("log", "--no-color", *count, f"--format={_MARK}%H %ct %an", spec, "HEAD")
            # not `out()`: str.strip() would eat the record separator that starts the output
            proc = self._git.attempt("-c", "core.quotePath=false", *log)
            text = "" if proc.returncode else proc.stdout.decode("utf-8", errors="replace")
            self._cache[key] = parse_log(text)
        return self._cache[key]

    def introduction(self, path: str, line: int, value: str) -> Change | None:
        """The commit that put `value` on `line` of `path` (see `introduced`). The newest two
        commits usually tell (a walk of the whole history costs ~6x more on a busy file), so the
        whole history is read only when both kept the value."""
        for limit in (2, None):
            changes = self.changes(path, line, limit)
            found = introduced(changes, value)
            if limit is None or len(changes) < limit or found is None:
                return self.landed(found)
            if not holds_value(found.before, value):
                return self.landed(found)
        return None

    def landed(self, change: Change | None) -> Change | None:
        """`change`, dated when it reached HEAD's first-parent line: a commit made on a branch
        days ago and merged an hour ago has run there for an hour (`git log -L` shows the
        branch commit, with the branch's date)."""
        if change is None or change.sha in self._mainline():
            return change
        log = ("log", "--first-parent", "--ancestry-path", "--format=%ct", f"{change.sha}..HEAD")
        proc = self._git.attempt(*log)
        stamps = proc.stdout.decode().split() if not proc.returncode else []
        if not stamps:
            return change
        return replace(change, when=datetime.fromtimestamp(int(stamps[-1]), UTC))

    def _mainline(self) -> frozenset[str]:
        """The commits on HEAD's first-parent line, read once."""
        if self._first_parents is None:
            proc = self._git.attempt("rev-list", "--first-parent", "HEAD")
            self._first_parents = frozenset(proc.stdout.decode().split())
        return self._first_parents

    def before(self, change: Change, path: str) -> str | None:
        """The text of `path` just before `change`; None when the commit added it."""
        shown = self._git.attempt("show", f"{change.sha}^:{path}")
        return None if shown.returncode else shown.stdout.decode("utf-8", errors="replace")


def parse_log(text: str) -> list[Change]:
    """`git log -L` output (commits marked by `_MARK`) as Changes, newest first."""
    changes = []
    for block in text.split(_MARK)[1:]:
        header, _, diff = block.partition("\n")
        sha, stamp, author = header.split(" ", 2)
        before: str | None = None
        after = ""
        for row in diff.splitlines():
            if row.startswith(("---", "+++")):
                continue
            if row.startswith("-") and before is None:
                before = row[1:]
            elif row.startswith("+") and not after:
                after = row[1:]
        when = datetime.fromtimestamp(int(stamp), UTC)
        changes.append(Change(sha, when, author, before, after))
    return changes


def deepen(ws: Workspace) -> None:
    """Fetch the whole history of a shallow workspace (soak and holds read it); GitError if
    the remote refuses."""
    if ws.shallow:
        ws.git.run("fetch", "--quiet", "--unshallow", "origin", ws.base)
        ws.shallow = False
