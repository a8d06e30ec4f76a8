"""The fast proof of an edit that only replaces scalars: one parse of the result, no tree of the
original. `verify.Baseline` (two parses and a walk of both trees) decides whatever this cannot
prove.

The argument: the edited text equals the original outside the splices. A scanner reads left to
right, so if the result still has, for each replaced scalar, one scalar node spanning exactly
the new characters (same start, end at the end of the new text), then every token outside those
spans is the token it was, and the trees are the same but for those scalars' values. What is
left to check is each new value: it reads as intended and as a string (`1.10` would be a
float). The result is read by libyaml alone; one only ruamel's own parser reads goes to the
full check (which, like extraction, falls back to that parser). Inserted keys, edits inside a
block scalar, `%YAML` directives, explicit tags on the edited scalars: not proved here.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from tagbot.editor import yamldoc
from tagbot.editor.quoting import STR_TAG
from tagbot.editor.splice import Splice
from tagbot.editor.verify import Expected

_resolver = VersionedResolver()  # YAML 1.2's implicit tags, as the C loader resolves them


def proves(text: str, after: str, splices: Sequence[Splice], expected: Sequence[Expected]) -> bool:
    """True when `after` (the splices applied to `text`) differs only as `expected` says."""
    if not expected or "%YAML" in text:
        return False
    if any(e.value is None or e.keys for e in expected):
        return False
    spans = _moved(splices, expected)
    if spans is None:
        return False
    roots = yamldoc.compose_c(after)  # libyaml, as extraction read the original first
    if roots is None:
        return False
    found = _scalars_at(roots, spans)
    for (start, end), value in spans.items():
        node = found.get(start)
        if node is None or node.end_mark.index != end or node.value != value:
            return False
        if str(node.tag) != STR_TAG or not _reads_as_string(node):
            return False
    return True


def _moved(
    splices: Sequence[Splice], expected: Sequence[Expected]
) -> dict[tuple[int, int], str] | None:
    """Each expected scalar's span in the edited text, with its value; None unless each splice
    replaces characters inside exactly one expected scalar, and each of those holds one."""
    ordered = sorted(splices, key=lambda s: (s.start, s.end))
    starts = [s.start for s in ordered]
    ends: list[int] = []  # original end of each splice
    totals: list[int] = []  # the shift of everything after that splice
    total = 0
    for splice in ordered:
        if splice.start == splice.end:
            return None  # an insertion
        total += len(splice.new) - (splice.end - splice.start)
        ends.append(splice.end)
        totals.append(total)
    spans: dict[tuple[int, int], str] = {}
    for item in expected:
        first = bisect.bisect_left(starts, item.start)
        last = bisect.bisect_right(ends, item.end)
        if last - first != 1 or ordered[first].end > item.end:
            return None
        begin = item.start + _shift(ends, totals, item.start)
        spans[(begin, item.end + _shift(ends, totals, item.end))] = str(item.value)
    if len(spans) != len(ordered):
        return None
    return spans


def _shift(ends: list[int], totals: list[int], position: int) -> int:
    """How far `position` (not inside a splice) moves: the shift of the splices ending by it."""
    index = bisect.bisect_right(ends, position)
    return totals[index - 1] if index else 0


def _scalars_at(roots: list[Node], spans: dict[tuple[int, int], str]) -> dict[int, ScalarNode]:
    """The scalar nodes that start where an edited span starts."""
    starts = {start for start, _ in spans}
    found: dict[int, ScalarNode] = {}
    stack: list[Node] = list(roots)
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            if node.start_mark.index in starts:
                found.setdefault(node.start_mark.index, node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.append(key)
                stack.append(value)
    return found


def _reads_as_string(node: ScalarNode) -> bool:
    """True when the scalar's implicit tag is `str` (quoted ones always are)."""
    if node.style:
        return True
    tag = _resolver.resolve(ScalarNode, node.value, (True, False))
    return str(tag) == STR_TAG
