"""YAML held in a literal block scalar (Argo CD `helm.values: |`, a ConfigMap's `values.yaml: |`):
its documents read like a file of their own, every position mapped back into the outer file."""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ruamel.yaml.nodes import Node, ScalarNode

from tagbot.editor import dupkeys, prescreen, yamldoc
from tagbot.editor.yamldoc import Document, PathPart
from tagbot.errors import EditError
from tagbot.models import Field, Occurrence

Finder = Callable[[Document], Iterator[Occurrence]]


@dataclass(frozen=True)
class Block:
    """Where each line of a block scalar's value sits in the outer text."""

    inner_starts: tuple[int, ...]  # index of each line's start in the value
    outer_starts: tuple[int, ...]  # index of the same character in the outer text
    first_line: int  # 0-based outer line of the value's first line
    indent: int

    def outer(self, index: int) -> int:
        """The outer index of an index into the value."""
        line = bisect.bisect_right(self.inner_starts, index) - 1
        return self.outer_starts[line] + index - self.inner_starts[line]

    def inner(self, index: int) -> int:
        """The index into the value of an outer index inside the block's body."""
        line = max(bisect.bisect_right(self.outer_starts, index) - 1, 0)
        return self.inner_starts[line] + index - self.outer_starts[line]

    def field(self, inner: Field) -> Field:
        """A field of an inner document, placed in the outer text."""
        line = bisect.bisect_right(self.inner_starts, inner.start) - 1
        start, end = self.outer(inner.start), self.outer(inner.end)
        return dataclasses.replace(
            inner, line=self.first_line + line + 1, column=self.indent + inner.column,
            start=start, end=end,
        )  # fmt: skip


def block(text: str, node: Node) -> Block | None:
    """The line map of a literal block scalar (`|`, `|-`, `|+`) in `text`; None for any other
    node, an explicit indentation indicator, or a body whose lines do not give its value."""
    if not isinstance(node, ScalarNode) or node.style != "|":
        return None
    start, end = node.start_mark.index, node.end_mark.index
    header_end = text.find("\n", start, end)
    if header_end < 0 or any(c.isdigit() for c in text[start:header_end].partition("#")[0]):
        return None
    lines = text[header_end + 1 : end].split("\n")
    content = [line.rstrip("\r") for line in lines]
    indent = next((len(x) - len(x.lstrip(" ")) for x in content if x.strip()), 0)
    inner_starts, outer_starts, pieces = [], [], []
    inner_at, outer_at = 0, header_end + 1
    for raw, line in zip(lines, content, strict=True):
        blank = not line.strip()
        if not blank and line[:indent].strip(" "):
            return None
        piece = "" if blank else line[indent:]
        inner_starts.append(inner_at)
        outer_starts.append(outer_at + min(indent, len(line)))
        pieces.append(piece)
        inner_at += len(piece) + 1
        outer_at += len(raw) + 1
    value = str(node.value)
    if not "\n".join(pieces).startswith(value.rstrip("\n")):
        return None
    first = node.start_mark.line + 1
    return Block(tuple(inner_starts), tuple(outer_starts), first, indent)


def scan(
    doc: Document, node: Node, path: tuple[PathPart, ...], find: Finder
) -> Iterator[Occurrence]:
    """The references `find` reads in the YAML a block scalar holds, placed in the outer file.

    A value that is not YAML, or holds no reference, gives nothing: it is just a string.
    """
    where = block(doc.text, node)
    if where is None or not prescreen.may_hold_reference(str(node.value)):
        return
    value = str(node.value)
    try:
        roots = yamldoc.compose(value)
    except EditError:
        return
    prefix = doc.locator(path) + "|"
    many = len(roots) > 1
    for n, root in enumerate(roots, 1):
        inner = Document(doc.path, prefix + (f"doc[{n}]:" if many else ""), root, value)
        twice = dupkeys.duplicated(root)
        for occ in find(inner):
            fields = tuple(where.field(f) for f in occ.fields)
            dup = next((f for f in occ.fields if f.start in twice), None)
            skip = f"duplicate key at line {where.field(dup).line}" if dup else occ.skip_reason
            yield dataclasses.replace(occ, fields=fields, line=fields[0].line, skip_reason=skip)
