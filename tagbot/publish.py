"""From a plan to published change sets: group, write through a provider, re-apply on a race."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from tagbot import editor, provider
from tagbot.editor import textio
from tagbot.errors import GitError, ProviderError
from tagbot.models import (
    ChangeSet,
    FileEdit,
    GitOptions,
    Occurrence,
    Problem,
    ProposalResult,
    Update,
)
from tagbot.planner import Grouping, Templates, group_key, plan_changesets, slug

_Key = tuple[str, str, str | None, str | None]


def to_disk(edit: FileEdit, bom: bool) -> FileEdit:
    """The edit as the bytes on disk hold it: with the file's BOM, if it had one."""
    if not bom:
        return edit
    return replace(edit, before=textio.BOM + edit.before, after=textio.BOM + edit.after)


def _key(occ: Occurrence) -> _Key | None:
    """Where a reference is and what version it holds: (path, image, tag, digest)."""
    if occ.image is None:
        return None
    return (occ.path, occ.image.name, occ.image.tag, occ.image.digest)


def reapply_for(updates: Sequence[Update]) -> provider.Reapply:
    """A function that redoes `updates` on fresh files: every reference still at the version
    an update moves from gets the update's version; a reference someone else already moved
    is left alone, so a race never downgrades."""
    wanted = {k: u for u in updates if (k := _key(u.occurrence)) is not None}

    def reapply(root: Path) -> tuple[FileEdit, ...]:
        edits: list[FileEdit] = []
        for path in sorted({k[0] for k in wanted}):
            file = root / path
            if not file.is_file():
                continue
            source = textio.read(file)
            found = editor.extract(path, source.text)
            todo = []
            for occ in found.occurrences:
                key = _key(occ) if occ.rewritable else None
                update = wanted.get(key) if key is not None else None
                if update is not None:
                    todo.append(replace(update, occurrence=occ))
            applied = editor.apply(path, source.text, todo)
            if applied.edit.changed:
                edits.append(to_disk(applied.edit, source.bom))
        return tuple(edits)

    return reapply


def changesets(
    updates: Sequence[Update],
    texts: dict[str, str],
    options: GitOptions,
    grouping: Grouping,
    templates: Templates,
) -> list[ChangeSet]:
    """Group updates into commits/PRs; push mode stacks the groups on one base."""

    def edit(members: Sequence[Update], base: dict[str, str]) -> tuple[FileEdit, ...]:
        by_file: dict[str, list[Update]] = {}
        for update in members:
            by_file.setdefault(update.occurrence.path, []).append(update)
        return tuple(editor.apply(p, base[p], ups).edit for p, ups in sorted(by_file.items()))

    return plan_changesets(
        updates,
        texts,
        edit,
        grouping=grouping,
        prefix=options.branch_prefix,
        templates=templates,
        stacked=options.mode == "push",
    )


def publish_all(
    ws: provider.Workspace,
    options: GitOptions,
    sets: Sequence[ChangeSet],
    boms: dict[str, bool],
    reapply: Callable[[Sequence[Update]], provider.Reapply] = reapply_for,
) -> tuple[list[ProposalResult], list[Problem]]:
    """Publish each change set; a failure is a problem for that set, the others go on.
    `reapply(updates)` redoes a set's updates on fresh files after a race (`tagbot set`
    redoes them whatever the version found; a scheduled run only from the version it saw)."""
    results: list[ProposalResult] = []
    problems: list[Problem] = []
    for changes in sets:
        members = [u for e in changes.edits for u in e.updates]
        disk = replace(
            changes, edits=tuple(to_disk(e, boms.get(e.path, False)) for e in changes.edits)
        )
        try:
            results.append(provider.publish(ws, options, disk, reapply(members)))
        except (GitError, ProviderError) as exc:
            problems.append(Problem(changes.branch, str(exc)))
    return results, problems


def superseded(
    updates: Sequence[Update], grouping: Grouping, options: GitOptions, *, whole_run: bool
) -> set[str]:
    """tagbot's branches that this run's grouping replaces: per-image branches of the images
    now in the `all` group, or the `all` branch once every image has its own (not when only a
    shard of the images was planned: the `all` PR may hold images of other shards)."""
    if options.mode != "pull-request":
        return set()
    if grouping == "all":
        return {options.branch_prefix + slug(group_key(u, "per-image")) for u in updates}
    return {options.branch_prefix + slug("all")} if whole_run else set()
