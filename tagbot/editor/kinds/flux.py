"""Flux HelmReleases: image references in `spec.values` and in the post-renderers' Kustomize
`images` lists."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import SequenceNode

from tagbot.editor import yamldoc
from tagbot.editor.kinds import helm_values, kustomize
from tagbot.editor.kinds.base import Header
from tagbot.editor.yamldoc import Document
from tagbot.models import Occurrence


def claims(header: Header) -> bool:
    """A helm.toolkit.fluxcd.io HelmRelease."""
    return header.api.startswith("helm.toolkit.fluxcd.io/") and header.kind == "HelmRelease"


def find(doc: Document) -> Iterator[Occurrence]:
    """References in `spec.values`, then in `spec.postRenderers[i].kustomize.images`."""
    values = yamldoc.get(yamldoc.get(doc.root, "spec"), "values")
    if values is not None:
        yield from helm_values.scan(doc, values, ("spec", "values"), "helm-release")
    renderers = yamldoc.get(yamldoc.get(doc.root, "spec"), "postRenderers")
    for index, renderer in enumerate(
        renderers.value if isinstance(renderers, SequenceNode) else []
    ):
        images = yamldoc.get(yamldoc.get(renderer, "kustomize"), "images")
        if isinstance(images, SequenceNode):
            path = ("spec", "postRenderers", index, "kustomize", "images")
            yield from kustomize.entries(doc, images, path)
