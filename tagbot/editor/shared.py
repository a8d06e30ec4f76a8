"""Anchored scalars shared by references to different images: an edit of one moves the others."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tagbot.editor.extract import extract
from tagbot.models import Field, Occurrence, Update

_ANCHOR = re.compile(r"&(\S+)")


def conflicts(path: str, text: str, updates: Sequence[Update]) -> dict[int, str]:
    """Why some updates may not be applied, by index: they change an anchored value that
    another reference reads through an alias (`tag: &v 1.2` ... `tag: *v`) and that reference
    is not set to the same version by this edit.

    Kustomize, Helm and Compose all expand the alias, so writing the anchor would bump an
    image nobody asked for. An alias of the same reference (`image: *img`) is listed once by
    extract and never conflicts.
    """
    anchored = {f.start for u in updates for f in u.occurrence.fields if _aliased(text, f)}
    if not anchored:
        return {}
    # A reference is known by its fields' starts: the updates' occurrences may come from
    # another extraction of the same text.
    versions = {_spans(u.occurrence): (u.new_tag, u.new_digest) for u in updates}
    sharing: dict[int, list[int]] = {}
    others = extract(path, text).occurrences
    for n, occ in enumerate(others):
        for f in occ.fields:
            if f.start in anchored:
                sharing.setdefault(f.start, []).append(n)
    found: dict[int, str] = {}
    for index, update in enumerate(updates):
        want = (update.new_tag, update.new_digest)
        for f in update.occurrence.fields:
            for n in sharing.get(f.start, []):
                other = others[n]
                same = _spans(other) == _spans(update.occurrence)
                if not same and versions.get(_spans(other)) != want:
                    found[index] = (
                        f"the value at line {f.line} is a YAML anchor that {other.locator} "
                        "also reads; it would change too"
                    )
    return found


def _spans(occ: Occurrence) -> frozenset[int]:
    return frozenset(f.start for f in occ.fields)


def _aliased(text: str, field: Field) -> bool:
    """True when the field's scalar carries an anchor that some alias in the text names."""
    match = _ANCHOR.match(text, field.start, field.end)
    return match is not None and f"*{match.group(1)}" in text
