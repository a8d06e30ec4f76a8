"""The editor's extraction seam: file text in, image references (or a file problem) out."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass

from ruamel.yaml.nodes import Node

from tagbot.editor import dupkeys, kinds, prescreen, stream, yamldoc
from tagbot.editor.kinds import KINDS
from tagbot.editor.yamldoc import Document
from tagbot.errors import EditError
from tagbot.models import Occurrence, Problem

TEMPLATE_SKIPPED = "skipped: a Go template, not YAML until it is rendered"


@dataclass(frozen=True)
class Extraction:
    """The references found in one file, or the problem that kept the file from being read."""

    occurrences: tuple[Occurrence, ...] = ()
    problem: Problem | None = None  # level "info" beside references: some documents skipped


def extract(path: str, text: str) -> Extraction:
    """Find every image reference in `text` (no BOM, line endings as in the file); never raises.

    A file that is not YAML gives a problem and nothing else. A Go template (`{{ ... }}` in a
    file that does not parse) is skipped with an info-level problem; in a stream, the documents
    that parse still give their references.
    """
    if not prescreen.may_hold_reference(text):
        return Extraction()
    note = None
    try:
        numbered = list(enumerate(yamldoc.compose(text), 1))
    except EditError as exc:
        numbered, note = _by_document(path, text, exc)
        if note.level == "error" or not numbered:
            return Extraction(problem=note)
    roots = [root for _, root in numbered]
    many = len(roots) > 1 or note is not None
    docs = [Document(path, f"doc[{n}]:" if many else "", root, text) for n, root in numbered]
    found: list[Occurrence] = []
    claimed: set[int] = set()
    for doc in docs:
        _keep(kinds.finder(path, doc.root)(doc), found, claimed)
    for kind in KINDS.values():
        if kind.whole_file is not None:
            _keep(kind.whole_file(docs, text, claimed), found, claimed)
    found.sort(key=lambda occ: occ.fields[0].start)
    return Extraction(tuple(_refuse_duplicates(found, roots)), note)


def _by_document(path: str, text: str, exc: EditError) -> tuple[list[tuple[int, Node]], Problem]:
    """The documents of a stream that parse, numbered, and an info note naming the templates.

    Broken YAML that holds no template action stays an error for the whole file.
    """
    error = Problem(path, str(exc))
    if not stream.templated(text):
        return [], error
    numbered: list[tuple[int, Node]] = []
    templates: list[int] = []
    for n, span in enumerate(stream.split(text), 1):
        try:
            numbered += [(n, root) for root in stream.compose_span(yamldoc.compose, text, span)]
        except EditError:
            if not stream.templated(text[span.start : span.end]):
                return [], error
            templates.append(n)
    if not templates:
        return [], error  # every document parses alone: the stream itself is broken
    if not numbered:
        return [], Problem(path, TEMPLATE_SKIPPED, level="info")
    listed = ", ".join(str(n) for n in templates)
    return numbered, Problem(path, f"{TEMPLATE_SKIPPED} (documents {listed})", level="info")


def _refuse_duplicates(found: list[Occurrence], roots: list[Node]) -> Iterator[Occurrence]:
    """Mark the references with a field under a key its mapping gives twice: not rewritable."""
    twice = set().union(*(dupkeys.duplicated(root) for root in roots)) if found else set()
    for occ in found:
        dup = next((f for f in occ.fields if f.start in twice), None)
        if dup is None:
            yield occ
            continue
        yield dataclasses.replace(occ, skip_reason=f"duplicate key at line {dup.line}")


def _keep(candidates: Iterator[Occurrence], found: list[Occurrence], claimed: set[int]) -> None:
    """Add the candidates that are not made only of scalars already part of a reference.

    Backends walk parents before children and anchors before aliases, so a split map wins over
    its own `image` string, and an aliased reference is listed once, where its anchor is. Two
    maps that share an anchored tag (`tag: *version`) are two references.
    """
    for occ in candidates:
        starts = {f.start for f in occ.fields}
        if starts <= claimed:
            continue
        claimed |= starts
        found.append(occ)


__all__ = ["Extraction", "extract"]
