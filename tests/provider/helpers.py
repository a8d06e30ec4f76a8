"""A stand-in editor (plain text replacement) and a common view of the fake forges' proposals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tagbot.models import ChangeSet, FileEdit
from tests.fakeforge import FakeGitHub, FakeGitLab

API = "apps/api/deploy.yaml"
WEB = "apps/web/values.yaml"
SEED = {
    API: (
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - name: api\n          image: app:1.0\n"
        "        - name: side\n          image: side:2.0\n"
    ),
    WEB: "image: web:3.0\n",
}


class Bumper:
    """Replaces `old` by `new` in one file; counts how often it is re-run on fresh files."""

    def __init__(
        self, path: str, old: str, new: str, before_call: Callable[[], None] | None = None
    ):
        self.path, self.old, self.new = path, old, new
        self.calls = 0
        self.before_call = before_call  # lets a test push a rival commit at just this moment

    def edits(self, root: Path) -> tuple[FileEdit, ...]:
        """The edit for the file under `root`, with the exact bytes as text."""
        before = (root / self.path).read_bytes().decode()
        return (FileEdit(self.path, before, before.replace(self.old, self.new)),)

    def __call__(self, root: Path) -> tuple[FileEdit, ...]:
        self.calls += 1
        if self.before_call:
            self.before_call()
        return self.edits(root)

    def changes(
        self, root: Path, branch: str = "tagbot/app", title: str | None = None
    ) -> ChangeSet:
        """A change set for this bump, as the planner would render it."""
        title = title or f"chore(deps): update {self.old} to {self.new}"
        body = f"| image | from | to |\n|---|---|---|\n| {self.old} | {self.old} | {self.new} |\n"
        return ChangeSet(branch, branch, title, body, self.edits(root))


@dataclass(frozen=True)
class Seen:
    """A PR or MR as a forge holds it, in one shape for both fakes."""

    number: int
    head: str
    base: str
    title: str
    body: str
    open: bool
    labels: tuple[str, ...]
    reviewers: tuple[str, ...]
    comments: tuple[str, ...]
    revision: int


def seen(fake: FakeGitHub | FakeGitLab) -> list[Seen]:
    """Every proposal the fake holds, by number."""
    if isinstance(fake, FakeGitHub):
        return [
            Seen(p.number, p.head, p.base, p.title, p.body or "", p.state == "open",
                 tuple(p.labels), tuple(p.reviewers + [f"team:{t}" for t in p.teams]),
                 tuple(p.comments), p.revision)
            for _, p in sorted(fake.pulls.items())
        ]  # fmt: skip
    names = {uid: name for name, uid in fake.users.items()}
    return [
        Seen(m.iid, m.source_branch, m.target_branch, m.title, m.description or "",
             m.state == "opened", tuple(m.labels), tuple(names[i] for i in m.reviewer_ids),
             tuple(m.notes), m.revision)
        for _, m in sorted(fake.mrs.items())
    ]  # fmt: skip
