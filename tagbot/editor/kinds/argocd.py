"""Argo CD Applications, ApplicationSets and `.argocd-source*.yaml` overrides: `kustomize.images`
strings (`[alias=]name:tag`), `helm.parameters` image values and `helm.valuesObject`."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

from tagbot.editor import embedded, refs, yamldoc
from tagbot.editor.kinds import helm_values
from tagbot.editor.kinds.base import Header
from tagbot.editor.yamldoc import Document, PathPart
from tagbot.models import Field, Occurrence, Role

# The last segment of a helm parameter name (`controller.image.tag`) and the part it sets.
_PARAM_ROLES: dict[str, Role] = {
    "registry": "registry",
    "repository": "repository",
    "tag": "tag",
    "digest": "digest",
}


def claims(header: Header) -> bool:
    """An `.argocd-source*.yaml` override, or an argoproj.io Application or ApplicationSet."""
    if header.name.startswith(".argocd-source"):
        return True
    return header.api.startswith("argoproj.io/") and header.kind in (
        "Application",
        "ApplicationSet",
    )


def resembles(root: MappingNode) -> bool:
    """A parameter override whatever its name: only `kustomize:` and `helm:` at the top."""
    keys = {str(k.value) for k, _ in root.value}
    return bool(keys) and keys <= {"kustomize", "helm"}


def find(doc: Document) -> Iterator[Occurrence]:
    """Every `kustomize:` and `helm:` source setting in the document, wherever the source sits."""
    for visit in yamldoc.walk(doc.root):
        if not isinstance(visit.node, MappingNode):
            continue
        if visit.key == "kustomize":
            images = yamldoc.get(visit.node, "images")
            if isinstance(images, SequenceNode):
                yield from _overrides(doc, images, (*visit.path, "images"))
        elif visit.key == "helm":
            params = yamldoc.get(visit.node, "parameters")
            if isinstance(params, SequenceNode):
                yield from _parameters(doc, params, (*visit.path, "parameters"))
            values = yamldoc.get(visit.node, "valuesObject")
            if values is not None:
                yield from helm_values.scan(doc, values, (*visit.path, "valuesObject"), "argocd")
            inline = yamldoc.get(visit.node, "values")  # `values: |` holds a values file
            if inline is not None:
                yield from embedded.scan(doc, inline, (*visit.path, "values"), _values)


def _values(inner: Document) -> Iterator[Occurrence]:
    return helm_values.scan(inner, inner.root, (), "argocd")


def _overrides(
    doc: Document, images: SequenceNode, path: tuple[PathPart, ...]
) -> Iterator[Occurrence]:
    """`alias=ghcr.io/acme/api:1.2` or `ghcr.io/acme/api:1.2`: the part after `=` is deployed."""
    for index, item in enumerate(images.value):
        value = yamldoc.text(item)
        if not isinstance(item, ScalarNode) or not value:
            continue
        deployed = value.partition("=")[2] if "=" in value else value
        fields = [yamldoc.field(item, "image")]
        located = doc.locator((*path, index))
        yield refs.occurrence(doc.path, "argocd", located, fields, refs.from_string(deployed))


def _parameters(
    doc: Document, params: SequenceNode, path: tuple[PathPart, ...]
) -> Iterator[Occurrence]:
    """`{name: image.tag, value: 1.2}` entries, grouped by prefix (`image.repository` + `image.tag`)."""
    groups: dict[str, list[tuple[int, Field]]] = {}
    for index, item in enumerate(params.value):
        name = yamldoc.text(yamldoc.get(item, "name")) or ""
        value = yamldoc.get(item, "value")
        prefix, _, last = name.rpartition(".")
        role = _PARAM_ROLES.get(last)
        if role is None or not isinstance(value, ScalarNode) or not refs.imageish(prefix):
            continue
        groups.setdefault(prefix, []).append((index, yamldoc.field(value, role)))
    for members in groups.values():
        fields = {f.role: f for _, f in members}
        parts = {role: (fields[role].value if role in fields else None) for role in _PARAM_ROLES}
        resolved = refs.from_parts(
            parts["registry"], parts["repository"], parts["tag"], parts["digest"]
        )
        located = doc.locator((*path, members[0][0]))
        yield refs.occurrence(doc.path, "argocd", located, fields.values(), resolved)
