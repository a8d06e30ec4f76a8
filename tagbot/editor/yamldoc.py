"""Compose YAML with ruamel's C parser and read the node tree: marks, scalars, walks, locators."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.cyaml import CParser  # type: ignore[attr-defined]  # libyaml, from ruamel.yaml.clib
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from tagbot.errors import EditError
from tagbot.models import Field, Role

PathPart = str | int
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_NULLS = {"", "~", "null", "Null", "NULL"}
_local = threading.local()
_MERGED_BUDGET = 100_000
# Deeper than this, a file is refused before composing: ruamel's C composer recurses once per
# level and overflows the C stack (SIGSEGV, no exception) somewhere past 20,000 levels.
MAX_DEPTH = 1000
_BRACKET = re.compile(r"[\[\]{}]")
# Compact block collections nest on one line without indentation: `- - - x`, `? ? x`.
_COMPACT = re.compile(rf"^[ \t]*(?:[-?:][ \t]+){{{MAX_DEPTH}}}", re.MULTILINE)


class _StringResolver(VersionedResolver):
    """Tags every scalar `str`: tagbot reads source text, never typed values.

    The stock resolver matches each plain scalar against the YAML 1.1/1.2 int, float, bool...
    regexes and was the costliest step of a scan (bench/README.md). Nulls and merge keys are
    told by their plain text instead (`text`, `is_merge`).
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode:
            return self.DEFAULT_SCALAR_TAG
        return self.DEFAULT_SEQUENCE_TAG if kind is SequenceNode else self.DEFAULT_MAPPING_TAG


@dataclass(frozen=True)
class Document:
    """One YAML document of a file: the file's path, its locator prefix and its root node."""

    path: str
    prefix: str  # "" for a single-document file, "doc[N]:" in a stream
    root: Node
    text: str = ""  # the text the root was composed from (a block scalar's for inner documents)

    def locator(self, parts: tuple[PathPart, ...]) -> str:
        """The dotted locator of a node path, e.g. `doc[2]:spec.containers[0].image`."""
        return self.prefix + dotted(parts)


@dataclass(frozen=True)
class Visit:
    """A node met by `walk`: its key path from the document root and its enclosing nodes."""

    node: Node
    path: tuple[PathPart, ...]
    parents: tuple[Node, ...]  # outermost first; parents[-1] holds `node`

    @property
    def key(self) -> PathPart | None:
        """The mapping key or sequence index that holds the node; None at the root."""
        return self.path[-1] if self.path else None


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Raise EditError when `text` may nest deeper than `limit` levels; linear and cheap.

    Flow collections are counted by their brackets (quoted ones too: an over-count only ever
    refuses text no real file holds), compact block collections by their indicators on a line.
    Indentation needs a wider line per level, so the 4 MiB file limit bounds it far lower.
    """
    if text.count("[") + text.count("{") > limit:
        depth = 0
        for match in _BRACKET.finditer(text):
            depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
            if depth > limit:
                line = text.count("\n", 0, match.start()) + 1
                raise EditError(f"not YAML: nested too deeply (over {limit} levels at line {line})")
    found = _COMPACT.search(text)
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise EditError(f"not YAML: nested too deeply (over {limit} levels at line {line})")


def compose(text: str) -> list[Node]:
    """Compose every document of `text`; raises EditError("not YAML: ...") when it cannot."""
    check_depth(text)
    # typ="safe" with pure=False composes with the libyaml-based CParser: marks carry character
    # indices, 6-8x faster than the round-trip loader (notes/registry.md). libyaml speaks YAML
    # 1.1, which refuses `{image: nginx:1.25}`; ruamel's own parser (YAML 1.2) gets a second try.
    try:
        return _compose_c(text)
    except YAMLError as exc:
        first = exc
    except RecursionError:
        raise EditError("not YAML: nested too deeply") from None
    try:
        return list(_loader(pure=True).compose_all(text))
    except YAMLError:
        raise EditError(_describe(first, text)) from None
    except RecursionError:  # libyaml stops at 1000 levels with a misleading complaint
        raise EditError("not YAML: nested too deeply") from None


def compose_c(text: str) -> list[Node] | None:
    """Every document composed by libyaml alone; None when it refuses the text (or it nests
    too deeply). For proofs that need one parser for two texts (editor/quickcheck.py)."""
    try:
        check_depth(text)
        return _compose_c(text)
    except (EditError, YAMLError, RecursionError):
        return None


class _CComposer(CParser, _StringResolver):  # type: ignore[misc]
    """libyaml's parser and composer with the string resolver, as `YAML(typ="safe").compose_all`
    sets them up, but built once: that call defines a new class per text (a tenth of reading a
    file) and keeps a record of every call on the YAML object for the life of the process."""

    def __init__(self, text: str) -> None:
        CParser.__init__(self, text)
        self._parser = self._composer = self
        _StringResolver.__init__(self, version=None, loadumper=self)


def _compose_c(text: str) -> list[Node]:
    """Every document of `text` composed by libyaml; raises YAMLError when it refuses it."""
    composer = _CComposer(text)
    try:
        nodes: list[Node] = []
        while composer.check_node():
            nodes.append(composer.get_node())
        return nodes
    finally:
        composer.dispose()


def _loader(pure: bool) -> YAML:
    """One loader per thread and kind: building a YAML() scans for plug-ins (~0.3 ms)."""
    key = "pure" if pure else "c"
    loader: YAML | None = getattr(_local, key, None)
    if loader is None:
        loader = YAML(typ="safe", pure=pure)
        loader.Resolver = _StringResolver
        setattr(_local, key, loader)
    return loader


def _describe(exc: YAMLError, text: str) -> str:
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    mark = getattr(exc, "problem_mark", None)
    where = f" at line {mark.line + 1}" if mark is not None else ""
    hint = " (a Helm or Go template?)" if "{{" in text else ""
    return f"not YAML{hint}: {problem}{where}"


def dotted(parts: tuple[PathPart, ...]) -> str:
    """Join path parts as `a.b[0]."c:d"`; keys with special characters are JSON-quoted."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = part if _BARE_KEY.match(part) else json.dumps(part)
        out = f"{out}.{name}" if out else name
    return out


def text(node: Node | None) -> str | None:
    """A scalar's value ("" for a plain null); None for a missing node, a mapping or a sequence."""
    if not isinstance(node, ScalarNode):
        return None
    if not node.style and node.value in _NULLS:
        return ""
    return str(node.value)


def is_merge(key: Node) -> bool:
    """True for a plain `<<` key (YAML 1.1 merge); a quoted '<<' is an ordinary key."""
    return isinstance(key, ScalarNode) and key.value == "<<" and not key.style


def scalars(node: MappingNode) -> dict[str, ScalarNode]:
    """The mapping's scalar values by key (merge keys and non-scalar keys left out)."""
    found: dict[str, ScalarNode] = {}
    for key, value in node.value:
        if isinstance(key, ScalarNode) and not is_merge(key) and isinstance(value, ScalarNode):
            found.setdefault(str(key.value), value)
    return found


def get(node: Node | None, key: str) -> Node | None:
    """The value under `key` in a mapping node (first occurrence); None when absent."""
    if not isinstance(node, MappingNode):
        return None
    for k, value in node.value:
        if isinstance(k, ScalarNode) and k.value == key and not is_merge(k):
            return value  # type: ignore[no-any-return]
    return None


def lookup(node: Node | None, key: str) -> Node | None:
    """The value under `key` as YAML merge keys read it: the mapping's own key first, then the
    merged mappings' (`<<: *defaults`), in order; each mapping is searched once."""
    pending, seen = [node], set()
    while pending:
        current = pending.pop(0)
        if not isinstance(current, MappingNode) or id(current) in seen:
            continue
        seen.add(id(current))
        found = get(current, key)
        if found is not None:
            return found
        for k, value in current.value:
            if is_merge(k):
                pending += value.value if isinstance(value, SequenceNode) else [value]
    return None


def field(node: ScalarNode, role: Role) -> Field:
    """A Field spanning the scalar's source text, quotes included; line/column 1-based."""
    start, end = node.start_mark, node.end_mark
    return Field(
        role, str(node.value), start.line + 1, start.column + 1, start.index, end.index,
        node.style or None,
    )  # fmt: skip


def walk(root: Node) -> Iterator[Visit]:
    """Every node under `root` in document order; an aliased mapping or sequence is walked once.

    Merge keys (`<<: *base`) are walked as part of the mapping that holds them, so their
    locators name that mapping. Scalars reached through an alias are yielded at the alias.
    """
    seen: set[int] = set()
    budget = [_MERGED_BUDGET]  # merged keys left to expand, shared by the whole walk
    stack: list[Visit] = [Visit(root, (), ())]
    while stack:
        visit = stack.pop()
        node = visit.node
        if isinstance(node, MappingNode | SequenceNode):
            if id(node) in seen:
                continue
            seen.add(id(node))
        yield visit
        children = list(_children(visit, budget, set()))
        stack.extend(reversed(children))


def _children(visit: Visit, budget: list[int], done: set[int]) -> Iterator[Visit]:
    node, parents = visit.node, (*visit.parents, visit.node)
    if isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield Visit(item, (*visit.path, index), parents)
        return
    if not isinstance(node, MappingNode):
        return
    for key, value in node.value:
        if not isinstance(key, ScalarNode):
            continue
        if is_merge(key):
            yield from _merged(value, visit, budget, done)
            continue
        yield Visit(value, (*visit.path, str(key.value)), parents)


def _merged(value: Node, visit: Visit, budget: list[int], done: set[int]) -> Iterator[Visit]:
    # An inline merge (`<<: {image: x}`) belongs to the mapping that holds it; so do the keys of
    # an alias (`<<: *base`), deduplicated by extract. A source merged twice into one mapping
    # is expanded once (`<<: [*a, *a]` chains grew 2^n), and one walk expands at most
    # _MERGED_BUDGET merged keys: a merge-key bomb must not cost memory or time.
    sources = value.value if isinstance(value, SequenceNode) else [value]
    for source in sources:
        if not isinstance(source, MappingNode) or id(source) in done or budget[0] <= 0:
            continue
        done.add(id(source))
        budget[0] -= len(source.value)
        yield from _children(Visit(source, visit.path, visit.parents), budget, done)
