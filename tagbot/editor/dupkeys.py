"""Keys given twice in one mapping: YAML forbids them, Helm and kubectl refuse them, and tagbot
reads the first, so an edit under either could be one the consumer never sees."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tagbot.editor.yamldoc import is_merge, walk


def duplicated(root: Node) -> set[int]:
    """Start indices of the values under keys given twice in one mapping (`tag: 1` ... `tag: 2`).

    YAML forbids them and Helm and kubectl refuse them; tagbot reads the first, so an edit of
    either could be one the consumer never sees. Every mapping reachable through values is
    checked once (a merged one too); a plain loop, not `walk`: it runs on every file.
    """
    found: set[int] = set()
    seen: set[int] = set()
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode) or id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
            continue
        if not isinstance(node, MappingNode):
            continue
        keys = [k.value for k, _ in node.value if isinstance(k, ScalarNode) and not is_merge(k)]
        if len(keys) != len(set(keys)):
            found.update(_twice(node))
        stack.extend(value for _, value in node.value)
    return found


def _twice(node: MappingNode) -> Iterator[int]:
    """The start indices of the values of the keys `node` gives more than once."""
    by_key: dict[str, list[Node]] = {}
    for key, value in node.value:
        if isinstance(key, ScalarNode) and not is_merge(key):
            by_key.setdefault(str(key.value), []).append(value)
    for values in by_key.values():
        if len(values) > 1:
            yield from (start for v in values for start in _spanned(v))


def _spanned(value: Node) -> Iterator[int]:
    """Start indices of `value` and of every node written inside it (`app: {version: 1}` given
    twice hides `version` too); a node an alias reaches from elsewhere is not inside it."""
    begin, end = value.start_mark.index, value.end_mark.index
    for visit in walk(value):
        start = visit.node.start_mark.index
        if begin <= start < end or start == begin:
            yield start
