"""Test helpers: build Occurrence records by hand from a YAML path, independent of extraction."""

from __future__ import annotations

import re

from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tagbot.imageref import parse
from tagbot.models import Field, Kind, Occurrence, Role

_STEP = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


def node_at(text: str, path: str, doc: int = 0) -> Node:
    """The node at a dotted path with `[i]` indexes (`images[0].newTag`) in document `doc`."""
    node: Node = list(YAML(typ="safe").compose_all(text))[doc]
    for index, key in _STEP.findall(path):
        if index:
            assert isinstance(node, SequenceNode)
            node = node.value[int(index)]
            continue
        assert isinstance(node, MappingNode)
        node = next(v for k, v in node.value if k.value == key)
    return node


def field(text: str, role: Role, path: str, doc: int = 0) -> Field:
    """A Field for the scalar at `path`, with the span and style the extractor would give."""
    node = node_at(text, path, doc)
    assert isinstance(node, ScalarNode)
    mark = node.start_mark
    return Field(
        role,
        node.value,
        mark.line + 1,
        mark.column + 1,
        mark.index,
        node.end_mark.index,
        node.style,
    )


def occurrence(
    text: str, image: str, *pairs: tuple[Role, str], kind: Kind = "helm-values", doc: int = 0
) -> Occurrence:
    """An Occurrence of `image` made of the scalars named by (role, path) pairs."""
    fields = sorted((field(text, role, path, doc) for role, path in pairs), key=lambda f: f.start)
    return Occurrence("f.yaml", kind, "test", fields[0].line, parse(image), tuple(fields))
