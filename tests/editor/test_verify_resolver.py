"""Tests for tagbot/editor/verify.py's resolver: the same tags as ruamel's stock loader."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from tagbot.editor.verify import compose

TEXTS = [
    pytest.param("a: yes\nb: 1.10\nc: ~\nd: null\ne: 0o17\nf: 0x1F\ng: 1e3\n", id="scalars"),
    pytest.param("a: 2024-01-01\nb: .inf\nc: -.5\nd: 'quoted'\ne: \"1.2\"\nf: true\n", id="more"),
    pytest.param("a: !!str 5\nb: !custom x\nc: !!int '7'\n", id="explicit-tags"),
    pytest.param("x: &b {k: 1}\ny:\n  <<: *b\n  m: [1, two, 3.0]\n", id="merge-and-flow"),
    pytest.param("a: 1\n---\n- b\n- 2\n---\nc: |\n  text\n", id="stream"),
    pytest.param("%YAML 1.1\n---\na: yes\nb: on\n", id="yaml-1.1-directive"),
]


def tags_of(nodes: list[Node]) -> list[tuple[str, object]]:
    """(tag, scalar value) of every node, depth first."""
    found: list[tuple[str, object]] = []
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            found.append((str(node.tag), None))
            stack += [n for pair in reversed(node.value) for n in reversed(pair)]
        elif isinstance(node, SequenceNode):
            found.append((str(node.tag), None))
            stack += list(reversed(node.value))
        else:
            found.append((str(node.tag), node.value))
    return found


@pytest.mark.parametrize("text", TEXTS)
def test_tags_match_the_stock_loader(text: str) -> None:
    stock = list(YAML(typ="safe").compose_all(text))
    for _ in range(2):  # the table is built once and reused
        assert tags_of(compose(text)) == tags_of(stock)
