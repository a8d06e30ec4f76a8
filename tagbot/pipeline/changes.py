"""Planned edits -> ChangeSets: grouping, deterministic branch names, commit and PR text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tagbot.models import ChangeSet, FileEdit, GitOptions, Grouping, Update
from tagbot.pipeline.edits import by_file, edit_text
from tagbot.provider import prbody
from tagbot.provider.prbody import ImageNotes

DEFAULT_TITLE = "chore(deps): update {image} to {to}"
DEFAULT_TITLE_ALL = "chore(deps): update {count} images"
MAX_TITLE = 256  # GitHub's limit for a PR title; a commit subject never needs more
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Templates:
    """The commit/PR title template and the text shown above the PR body's table."""

    title: str | None = None
    body: str | None = None

    @classmethod
    def of(cls, options: GitOptions) -> Templates:
        """The templates of `options`: a PR title in PR mode when set, else the commit message."""
        pr_mode = options.mode == "pull-request"
        title = options.pr_title if pr_mode and options.pr_title else options.commit_message
        return cls(title=title, body=options.pr_body)


def slug(text: str) -> str:
    """A branch-safe slug: `ghcr.io/acme/api` -> `ghcr-io-acme-api`."""
    return _SLUG.sub("-", text.lower()).strip("-")[:80] or "images"


def group_key(update: Update, grouping: Grouping) -> str:
    """The stable key of an update's group: its image name, or `all`."""
    if grouping == "all" or update.occurrence.image is None:
        return "all"
    return update.occurrence.image.familiar


def group(updates: Sequence[Update], grouping: Grouping) -> dict[str, list[Update]]:
    """Updates by group key, keys sorted so branch order is deterministic."""
    groups: dict[str, list[Update]] = {}
    for update in updates:
        groups.setdefault(group_key(update, grouping), []).append(update)
    return dict(sorted(groups.items()))


def _versions(updates: Sequence[Update]) -> tuple[str, str]:
    froms = sorted({u.old_tag or "" for u in updates})
    tos = sorted({u.new_tag for u in updates})
    return ", ".join(froms), ", ".join(tos)


def title_for(key: str, updates: Sequence[Update], templates: Templates) -> str:
    """Render the title template with {image} {from} {to} {count} {images}."""
    images = sorted({u.occurrence.image.familiar for u in updates if u.occurrence.image})
    old, new = _versions(updates)
    default = DEFAULT_TITLE if len(images) == 1 else DEFAULT_TITLE_ALL
    template = templates.title or default
    values = {
        "image": images[0] if len(images) == 1 else key,
        "from": old,
        "to": new,
        "count": len(images),
        "images": ", ".join(images),
    }
    try:
        title = template.format(**values)
    except (KeyError, IndexError, ValueError):
        title = default.format(**values)
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def changesets(
    edits: Sequence[FileEdit],
    options: GitOptions,
    notes: Mapping[str, ImageNotes] | None = None,
) -> list[ChangeSet]:
    """Group the planned edits' updates into commits/PRs. Push mode stacks each group on the
    previous one (one base); PR mode starts every group from the planned base texts. A group
    holding all of a file's updates reuses the planned edit; a file shared by several groups
    is edited per group (the only case that runs the editor again)."""
    planned = {e.path: e for e in edits}
    stacked = options.mode == "push"
    current = {e.path: e.before for e in edits}
    templates = Templates.of(options)
    updates = [u for e in edits for u in e.updates]
    result: list[ChangeSet] = []
    for key, members in group(updates, options.grouping).items():
        mine: list[FileEdit] = []
        for path, ups in by_file(members).items():
            whole = planned[path]
            edit = whole
            if len(ups) != len(whole.updates):
                base = current[path] if stacked else whole.before
                edit = edit_text(path, base, whole.bom, ups)[0]
            if edit.changed:
                mine.append(edit)
                current[path] = edit.after
        if not mine:
            continue
        branch = options.branch_prefix + slug(key)
        title = title_for(key, members, templates)
        body = prbody.render(members, notes, templates.body)
        result.append(ChangeSet(key, branch, title, body, tuple(mine)))
    return result
