"""tagbot's own config: a `references:` rule (`{file, locator, image: ghcr.io/x/y}`) names an
image without deploying it, so a tagbot.yaml holds no references (it once listed each rule as
an untagged Helm value, and `set` counted them as references it could not rewrite)."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, SequenceNode

from tagbot.editor import yamldoc
from tagbot.editor.yamldoc import Document
from tagbot.models import Occurrence

_RULE_KEYS = {"file", "locator", "image"}  # every key a `references:` rule has, all required


def resembles(root: MappingNode) -> bool:
    """A mapping whose `references:` is a list of tagbot rules, and nothing else is."""
    rules = yamldoc.get(root, "references")
    if not isinstance(rules, SequenceNode) or not rules.value:
        return False
    for rule in rules.value:
        if not isinstance(rule, MappingNode):
            return False
        if {str(k.value) for k, _ in rule.value} != _RULE_KEYS:
            return False
    return True


def find(doc: Document) -> Iterator[Occurrence]:
    """Nothing: a config names images, it does not deploy them."""
    del doc
    return iter(())
