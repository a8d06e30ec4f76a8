"""Every file kind the editor reads, in one explicit registry (STYLE rule 2: no discovery).

A new kind is one new module here (its `find`, and `claims` and/or `resembles`) and one entry
in KINDS. The order is the order of detection: the first kind that claims a document's header
wins, else the first whose shape it resembles; `helm_values` resembles anything, so it is last.
"""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, Node

from tagbot.editor.kinds import (
    argocd,
    compose,
    configmap,
    flux,
    helm_values,
    kustomize,
    manifests,
    markers,
    openshift,
    tagbotconfig,
    tekton,
)
from tagbot.editor.kinds.base import FileKind, Finder, header

KINDS: dict[str, FileKind] = {
    "tagbot": FileKind(tagbotconfig.find, resembles=tagbotconfig.resembles),
    "argocd": FileKind(argocd.find, argocd.claims, argocd.resembles),
    "compose": FileKind(compose.find, resembles=compose.looks_like),
    "kustomize": FileKind(kustomize.find, kustomize.claims, kustomize.resembles),
    "flux": FileKind(flux.find, flux.claims),
    "configmap": FileKind(configmap.find, configmap.claims),
    "openshift": FileKind(openshift.find, openshift.claims),
    "tekton": FileKind(tekton.find, tekton.claims),
    "manifests": FileKind(manifests.find, manifests.claims, manifests.resembles),
    "helm_values": FileKind(helm_values.find, resembles=helm_values.resembles),
    "markers": FileKind(whole_file=markers.find),
}


def classify(path: str, root: Node) -> str:
    """The name of the kind that reads one document of the file at `path`."""
    head = header(path, root)
    for name, kind in KINDS.items():
        if kind.claims(head):
            return name
    if not isinstance(root, MappingNode):
        return "manifests"  # manifests claims these; kept for the type checker
    for name, kind in KINDS.items():
        if kind.resembles(root):
            return name
    return "helm_values"


def finder(path: str, root: Node) -> Finder:
    """The `find` of the kind that reads the document."""
    found = KINDS[classify(path, root)].find
    assert found is not None  # classify names document kinds only
    return found


__all__ = ["KINDS", "FileKind", "classify", "finder"]
