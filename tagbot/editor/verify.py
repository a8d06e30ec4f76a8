"""Check an edit by re-parsing: the only values that differ are the intended ones."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from tagbot.editor import embedded, stream, yamldoc
from tagbot.editor.quoting import STR_TAG
from tagbot.errors import EditError


@dataclass(frozen=True)
class Expected:
    """An intended change: the scalar at `start:end` reads `value`, or its mapping gains `keys`."""

    start: int
    end: int
    value: str | None = None  # None: the scalar itself must not change
    keys: tuple[tuple[str, str], ...] = ()


_local = threading.local()


class _Resolver(VersionedResolver):
    """ruamel's resolver, with its table of implicit tags built once per process.

    The stock one works out the YAML version for every scalar by probing the loader for
    attributes the C parser does not have (two exceptions each), then builds its table anew
    for every stream: a third of what verifying an edit cost (bench/README.md, scale
    scenario). With the C parser the version is always the default one, so one table gives
    the same tags.
    """

    _table: Any = None

    @property
    def versioned_resolver(self) -> Any:
        table = _Resolver._table
        if table is None:
            table = _Resolver._table = super().versioned_resolver
        return table


def compose(text: str) -> list[Node]:
    """Compose every document with ruamel's C loader; raises YAMLError when the text is not YAML.

    libyaml speaks YAML 1.1 and refuses `[{image: nginx@sha256:...}]`, which the extractor
    reads with ruamel's own parser (yamldoc.compose); verification gives it the same second try.
    """
    try:
        yamldoc.check_depth(text)
    except EditError as exc:
        raise YAMLError(str(exc)) from None
    loader: YAML | None = getattr(_local, "loader", None)
    if loader is None:  # one per thread: building a YAML() scans for plug-ins (~0.3 ms)
        loader = _local.loader = YAML(typ="safe")
        loader.Resolver = _Resolver
    try:
        return list(loader.compose_all(text))
    except YAMLError as exc:
        first = exc
    pure: YAML | None = getattr(_local, "pure", None)
    if pure is None:  # the stock resolver: a `%YAML 1.1` directive picks another tag table
        pure = _local.pure = YAML(typ="safe", pure=True)
    try:
        return list(pure.compose_all(text))
    except (YAMLError, RecursionError):
        raise first from None


class Baseline:
    """The original text composed once, so that many candidate edits can be checked against it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.error: str | None = None
        self.docs: list[Node] = []
        # A stream with Go template documents: each document's nodes, None for a template.
        self.spans: list[tuple[stream.Span, list[Node] | None]] | None = None
        try:
            self.docs = compose(text)
        except YAMLError as exc:
            self.error = _problem(exc)
            self._by_document()

    def _by_document(self) -> None:
        """Compose document by document when templates break the stream (extract reads it so)."""
        if not stream.templated(self.text):
            return
        spans: list[tuple[stream.Span, list[Node] | None]] = []
        for span in stream.split(self.text):
            try:
                spans.append((span, stream.compose_span(compose, self.text, span)))
            except YAMLError:
                spans.append((span, None))
        if any(docs is not None for _, docs in spans):
            self.spans, self.error = spans, None

    def line(self, index: int) -> int:
        """The 1-based line of a character index of the original text."""
        return self.text.count("\n", 0, index) + 1

    def check(self, after: str, expected: Sequence[Expected]) -> str | None:
        """None when `after` differs from the original only as `expected` says, else why not."""
        if self.error is not None:
            return f"the file does not parse ({self.error})"
        walk = _Walk(self, sorted(expected, key=lambda e: (e.start, e.end)))
        if self.spans is not None:
            return self._by_span(walk, after)
        return walk.documents(self.docs, after) or walk.missing()

    def _by_span(self, walk: _Walk, after: str) -> str | None:
        """Check each document alone; a template document must keep every character."""
        spans = stream.split(after)
        if len(spans) != len(self.spans or []):
            return "the number of documents would change"
        for (old, docs), new in zip(self.spans or [], spans, strict=True):
            edited = after[new.start : new.end]
            if docs is None:
                if edited != self.text[old.start : old.end]:
                    return f"the template document at line {old.line + 1} would change"
                continue
            reason = walk.documents(docs, edited)
            if reason:
                return reason
        return walk.missing()


class _Walk:
    """A parallel walk of the original and edited node trees."""

    def __init__(self, baseline: Baseline, expected: list[Expected]) -> None:
        self.baseline = baseline
        self.expected = expected
        self.starts = [e.start for e in expected]
        self.matched: set[int] = set()

    def _find(self, node: Node) -> list[int]:
        """Indexes of the expected changes that lie inside `node`'s span."""
        start, end = node.start_mark.index, node.end_mark.index
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_right(self.starts, end)
        return [i for i in range(lo, hi) if self.expected[i].end <= end]

    def missing(self) -> str | None:
        """Why an intended change did not show up in the edited tree, if one did not."""
        for i, item in enumerate(self.expected):
            if i not in self.matched:
                return f"the edit at line {self.baseline.line(item.start)} did not take effect"
        return None

    def documents(self, before: list[Node], after: str) -> str | None:
        """Compare the original documents with those of the edited text."""
        try:
            edited = compose(after)
        except YAMLError as exc:
            return f"the result does not parse ({_problem(exc)})"
        if len(before) != len(edited):
            return "the number of documents would change"
        stack = list(zip(before, edited, strict=True))
        seen: set[int] = set()
        while stack:
            a, b = stack.pop()
            if id(a) in seen:  # an alias: the anchor's node was compared already
                continue
            seen.add(id(a))
            reason = self._node(a, b, stack)
            if reason:
                return reason
        return None

    def _node(self, a: Node, b: Node, stack: list[tuple[Node, Node]]) -> str | None:
        line = a.start_mark.line + 1
        if type(a) is not type(b):
            return f"the structure at line {line} would change"
        if isinstance(a, ScalarNode) and isinstance(b, ScalarNode):
            return self._scalar(a, b, line)
        if str(a.tag) != str(b.tag):
            return f"the tag at line {line} would change"
        if isinstance(a, SequenceNode):
            if len(a.value) != len(b.value):
                return f"the sequence at line {line} would change length"
            stack.extend(zip(a.value, b.value, strict=True))
            return None
        assert isinstance(a, MappingNode) and isinstance(b, MappingNode)
        return self._mapping(a, b, line, stack)

    def _scalar(self, a: ScalarNode, b: ScalarNode, line: int) -> str | None:
        wanted = [i for i in self._find(a) if self.expected[i].value is not None]
        if any(self.expected[i].start > a.start_mark.index for i in wanted):
            return self._embedded(a, b, line, wanted)
        if not wanted:
            if a.value != b.value or str(a.tag) != str(b.tag):
                return f"the value at line {line} would change ({a.value!r} to {b.value!r})"
            return None
        self.matched.update(wanted)
        value = self.expected[wanted[0]].value
        if len(wanted) > 1 or b.value != value:
            return f"the value at line {line} would read {b.value!r}, not {value!r}"
        if str(b.tag) != STR_TAG:
            return f"the value at line {line} would not read as a string ({b.tag})"
        return None

    def _embedded(self, a: ScalarNode, b: ScalarNode, line: int, wanted: list[int]) -> str | None:
        """Changes inside a block scalar that holds YAML: the same check on its documents."""
        where = embedded.block(self.baseline.text, a)
        if where is None or b.style != "|":
            return f"the block scalar at line {line} would change"
        inner = [
            Expected(where.inner(e.start), where.inner(e.end), e.value, e.keys)
            for e in (self.expected[i] for i in wanted)
        ]
        why = Baseline(str(a.value)).check(str(b.value), inner)
        if why is not None:
            return f"inside the block scalar at line {line}: {why}"
        self.matched.update(wanted)
        return None

    def _mapping(
        self, a: MappingNode, b: MappingNode, line: int, stack: list[tuple[Node, Node]]
    ) -> str | None:
        inserted: dict[str, str] = {}
        for _, value in a.value:
            if not isinstance(value, ScalarNode):  # the anchor of an insert is a sibling value
                continue
            for i in self._find(value):
                if self.expected[i].keys:
                    self.matched.add(i)
                    inserted.update(self.expected[i].keys)
        old_keys = {k.value for k, _ in a.value if isinstance(k, ScalarNode)}
        kept = []
        for key, value in b.value:
            name = key.value if isinstance(key, ScalarNode) else None
            if name is None or name not in inserted or name in old_keys:
                kept.append((key, value))
                continue
            want = inserted.pop(name)
            if not isinstance(value, ScalarNode) or value.value != want:
                return f"the key {name!r} inserted at line {line} would not read {want!r}"
            if str(value.tag) != STR_TAG:
                return f"the key {name!r} inserted at line {line} would not read as a string"
        if inserted or len(kept) != len(a.value):
            return f"the keys of the mapping at line {line} would change"
        for (ka, va), (kb, vb) in zip(a.value, kept, strict=True):
            stack.extend(((ka, kb), (va, vb)))
        return None


def _problem(exc: YAMLError) -> str:
    """The parser's one-line complaint, with its line when it has one."""
    problem = getattr(exc, "problem", None) or "invalid YAML"
    mark = getattr(exc, "problem_mark", None)
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)
