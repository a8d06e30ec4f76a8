"""Publishing a plan: change sets through a provider, re-applied on fresh files after a race."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

from tagbot import editor, provider
from tagbot.editor import textio
from tagbot.errors import GitError, ProviderError
from tagbot.models import (
    ChangeSet,
    FileEdit,
    GitOptions,
    Grouping,
    Occurrence,
    Problem,
    ProposalResult,
    StatedReference,
    Update,
)
from tagbot.pipeline.changes import changesets, group_key, slug
from tagbot.pipeline.edits import on_disk
from tagbot.pipeline.stated import apply_stated
from tagbot.provider.prbody import ImageNotes

_Key = tuple[str, ...]


def _key(occ: Occurrence, any_version: bool) -> _Key | None:
    """Where a reference is and what it holds: (path, image[, tag, digest])."""
    if occ.image is None or not occ.rewritable:
        return None
    if any_version:
        return (occ.path, occ.image.name)
    return (occ.path, occ.image.name, occ.image.tag or "", occ.image.digest or "")


def reapply_for(
    updates: Sequence[Update],
    *,
    any_version: bool = False,
    stated: Sequence[StatedReference] = (),
) -> provider.Reapply:
    """A function that redoes `updates` on fresh files under a root, after a race.

    A scheduled run moves a reference only from the version it saw, so a reference someone
    else already moved is left alone and a race never downgrades; `tagbot set` names the
    version it wants (`any_version`), so every reference to its images gets it."""
    wanted = {k: u for u in updates if (k := _key(u.occurrence, any_version)) is not None}

    def reapply(root: Path) -> tuple[FileEdit, ...]:
        edits: list[FileEdit] = []
        for path in sorted({k[0] for k in wanted}):
            file = root / path
            if not file.is_file():
                continue
            source = textio.read(file)
            todo = []
            found = editor.extract(path, source.text).occurrences
            for occ in apply_stated(path, source.text, found, stated) if stated else found:
                key = _key(occ, any_version)
                update = wanted.get(key) if key is not None else None
                if update is not None:
                    todo.append(replace(update, occurrence=occ))
            applied = editor.apply(path, source.text, todo)
            if applied.edit.changed:
                edits.append(on_disk(replace(applied.edit, bom=source.bom)))
        return tuple(edits)

    return reapply


def publish_edits(
    ws: provider.Workspace,
    options: GitOptions,
    edits: Sequence[FileEdit],
    *,
    any_version: bool = False,
    stated: Sequence[StatedReference] = (),
    notes: Mapping[str, ImageNotes] | None = None,
) -> tuple[list[ChangeSet], list[ProposalResult], list[Problem]]:
    """Group `edits` into change sets and publish each; a failure is a problem for that set,
    the others go on. Returns the change sets, what publishing did, and the problems.
    `notes` (by image) fill the PR bodies."""
    sets = changesets(edits, options, notes)
    results: list[ProposalResult] = []
    problems: list[Problem] = []
    for changes in sets:
        members = [u for e in changes.edits for u in e.updates]
        disk = replace(changes, edits=tuple(on_disk(e) for e in changes.edits))
        try:
            reapply = reapply_for(members, any_version=any_version, stated=stated)
            results.append(provider.publish(ws, options, disk, reapply))
        except (GitError, ProviderError) as exc:
            problems.append(Problem(changes.branch, str(exc)))
    return sets, results, problems


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


def close_superseded(
    ws: provider.Workspace,
    options: GitOptions,
    sets: Sequence[ChangeSet],
    proposals: Sequence[ProposalResult],
    *,
    whole_run: bool,
) -> list[Problem]:
    """Close the PRs this run's grouping replaces, only once every new one exists."""
    branches = {s.branch for s in sets}
    if not branches <= {p.branch for p in proposals}:
        return []
    updates = [u for s in sets for e in s.edits for u in e.updates]
    stale = superseded(updates, options.grouping, options, whole_run=whole_run)
    try:
        provider.close_superseded(ws, options, stale - branches)
    except (GitError, ProviderError) as exc:
        return [Problem("close superseded", str(exc))]
    return []
