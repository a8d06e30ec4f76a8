"""Editing: apply updates file by file; the FileEdits carry the file's BOM for the writers."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import replace

from tagbot import editor
from tagbot.editor import textio
from tagbot.models import FileEdit, Problem, Update
from tagbot.pipeline import forked

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
    grouped = list(by_file(updates).items())

    def one(index: int) -> tuple[FileEdit | None, list[Problem]]:
        path, members = grouped[index]
        text, bom = texts[path]
        try:
            return edit_text(path, text, bom, members)
        except Exception as exc:  # a bug for one file must not lose the other files' updates
            log.exception("edit failed", extra={"file": path})
            return None, [Problem(path, f"unexpected error: {type(exc).__name__}: {exc}")]

    results: list[tuple[FileEdit | None, list[Problem]]] = [(None, [])] * len(grouped)
    for index, result in forked.indexed(one, len(grouped)):  # parsing to verify: two cores
        results[index] = result
    edits = [edit for edit, _ in results if edit is not None and edit.changed]
    return edits, [problem for _, refused in results for problem in refused]


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
