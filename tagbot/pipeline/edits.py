"""Editing: apply updates file by file; the FileEdits carry the file's BOM for the writers."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

from tagbot import editor
from tagbot.editor import textio
from tagbot.models import FileEdit, Problem, Update

log = logging.getLogger("tagbot.pipeline")


def by_file(updates: Sequence[Update]) -> dict[str, list[Update]]:
    """Updates by the path of their file, paths sorted."""
    grouped: dict[str, list[Update]] = {}
    for update in updates:
        grouped.setdefault(update.occurrence.path, []).append(update)
    return dict(sorted(grouped.items()))


def edit_text(
    path: str, text: str, bom: bool, updates: Sequence[Update]
) -> tuple[FileEdit, list[Problem]]:
    """One file's edit (possibly unchanged) and the updates the editor refused."""
    applied = editor.apply(path, text, updates)
    return replace(applied.edit, bom=bom), list(applied.refused)


def edit_files(
    updates: Sequence[Update], texts: Mapping[str, tuple[str, bool]]
) -> tuple[list[FileEdit], list[Problem]]:
    """Apply updates to `texts` (path -> text, BOM); a refused update is a problem, the rest
    still apply. Only the edits that change their file are returned."""
    edits: list[FileEdit] = []
    problems: list[Problem] = []
    for path, members in by_file(updates).items():
        text, bom = texts[path]
        try:
            edit, refused = edit_text(path, text, bom, members)
        except Exception as exc:  # a bug for one file must not lose the other files' updates
            log.exception("edit failed", extra={"file": path})
            problems.append(Problem(path, f"unexpected error: {type(exc).__name__}: {exc}"))
            continue
        problems.extend(refused)
        if edit.changed:
            edits.append(edit)
    return edits, problems


def on_disk(edit: FileEdit) -> FileEdit:
    """The edit as the bytes on disk hold it: `before`/`after` with the file's BOM, if any."""
    if not edit.bom:
        return edit
    bom = textio.BOM
    return replace(edit, before=bom + edit.before, after=bom + edit.after, bom=False)


def moved(edit: FileEdit, path: str) -> FileEdit:
    """The same edit, and its updates' occurrences, at another path."""
    updates = tuple(replace(u, occurrence=replace(u.occurrence, path=path)) for u in edit.updates)
    return replace(edit, path=path, updates=updates)
