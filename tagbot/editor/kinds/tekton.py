"""Tekton Tasks, Pipelines and their runs: step images as in any manifest, and image
references in param defaults and values (`{name: builder-image, default: gcr.io/x:1}`)."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from tagbot.editor import refs, yamldoc
from tagbot.editor.kinds import manifests
from tagbot.editor.kinds.base import Header
from tagbot.editor.yamldoc import Document
from tagbot.models import Occurrence


def claims(header: Header) -> bool:
    """Any tekton.dev object."""
    return header.api.startswith("tekton.dev/")


def find(doc: Document) -> Iterator[Occurrence]:
    """Step images and the like, then params named like an image that hold a reference."""
    yield from manifests.find(doc)
    for visit in yamldoc.walk(doc.root):
        if visit.key != "params" or not isinstance(visit.node, SequenceNode):
            continue
        for index, param in enumerate(visit.node.value):
            if not isinstance(param, MappingNode):
                continue
            if not refs.imageish(yamldoc.text(yamldoc.get(param, "name"))):
                continue
            for key in ("default", "value"):
                node = yamldoc.get(param, key)
                value = yamldoc.text(node)
                if isinstance(node, ScalarNode) and value and refs.whole_ref(value):
                    located = doc.locator((*visit.path, index, key))
                    field = yamldoc.field(node, "image")
                    resolved = refs.from_string(value)
                    yield refs.occurrence(doc.path, "manifest", located, [field], resolved)
