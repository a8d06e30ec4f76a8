"""ConfigMaps: image strings in `data` as in any manifest, and the values files they carry for
Flux `valuesFrom` (`data: {values.yaml: |}`), read inside their block scalars."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, ScalarNode

from tagbot.editor import embedded, yamldoc
from tagbot.editor.kinds import helm_values, manifests
from tagbot.editor.kinds.base import Header
from tagbot.editor.yamldoc import Document
from tagbot.models import Occurrence

_YAML_KEYS = (".yaml", ".yml")


def claims(header: Header) -> bool:
    """A core v1 ConfigMap."""
    return header.api == "v1" and header.kind == "ConfigMap"


def find(doc: Document) -> Iterator[Occurrence]:
    """Image strings anywhere, then references in each `*.yaml` data entry."""
    yield from manifests.find(doc)
    data = yamldoc.get(doc.root, "data")
    if not isinstance(data, MappingNode):
        return
    for key, value in data.value:
        name = str(key.value) if isinstance(key, ScalarNode) else ""
        if name.endswith(_YAML_KEYS):
            yield from embedded.scan(doc, value, ("data", name), _values)


def _values(inner: Document) -> Iterator[Occurrence]:
    return helm_values.scan(inner, inner.root, (), "manifest")
