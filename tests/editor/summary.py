"""Shared by the extraction tests: extract a snippet and summarise each reference in one tuple."""

from __future__ import annotations

from tagbot.editor import extract

# (kind, locator, line, str(image) or None, skip_reason)
Found = tuple[str, str, int, str | None, str | None]


def found(text: str, path: str = "file.yaml") -> list[Found]:
    """The references in `text`, asserting that the file parsed."""
    result = extract(path, text)
    assert result.problem is None, result.problem
    return [
        (o.kind, o.locator, o.line, str(o.image) if o.image else None, o.skip_reason)
        for o in result.occurrences
    ]


def roles(text: str, path: str = "file.yaml") -> list[list[tuple[str, str]]]:
    """Each reference's fields as (role, value) pairs, in file order."""
    return [[(f.role, f.value) for f in o.fields] for o in extract(path, text).occurrences]
