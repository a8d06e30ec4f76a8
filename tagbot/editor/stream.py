"""A stream that does not parse as a whole, read document by document: the documents that parse
still give their references, and the ones that do not are named (Go templates, mostly)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

# A document marker at the start of a line (`---`, `--- !tag`, `...`): YAML 1.2 section 9.
_MARKER = re.compile(r"^(?:---|\.\.\.)(?=[ \t\r\n]|$)", re.MULTILINE)
# A Go template action: `{{ .Values.x }}`, `{{- if ... }}`.
_ACTION = re.compile(r"\{\{.*?\}\}", re.DOTALL)


@dataclass(frozen=True)
class Span:
    """One document's characters in the stream, and the 0-based line it starts on."""

    start: int
    end: int
    line: int


@dataclass(frozen=True)
class Mark:
    """A node position moved from a document's own text into the stream's."""

    index: int
    line: int
    column: int


def templated(text: str) -> bool:
    """True when the text holds a Go template action (`{{ ... }}`)."""
    return _ACTION.search(text) is not None


def split(text: str) -> list[Span]:
    """The documents of a stream by their marker lines; a `---` line starts a document."""
    cuts = [m.start() for m in _MARKER.finditer(text) if text.startswith("---", m.start())]
    starts = [0, *(c for c in cuts if c > 0)]
    spans = []
    line = 0
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(text)
        spans.append(Span(start, end, line))
        line += text.count("\n", start, end)
    return spans


def compose_span(compose: Callable[[str], list[Node]], text: str, span: Span) -> list[Node]:
    """Compose one document's text; its nodes' marks point into the whole stream."""
    roots = compose(text[span.start : span.end])
    for root in roots:
        for node in _nodes(root):
            node.start_mark = _moved(node.start_mark, span)
            node.end_mark = _moved(node.end_mark, span)
    return roots


def _moved(mark: object, span: Span) -> Mark:
    index, line, column = (getattr(mark, k) for k in ("index", "line", "column"))
    return Mark(index + span.start, line + span.line, column)


def _nodes(root: Node) -> Iterator[Node]:
    """Every node once (aliases share nodes), keys included."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack += (key, value)
