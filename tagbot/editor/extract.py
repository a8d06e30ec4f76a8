"""The editor's extraction seam: file text in, image references (or a file problem) out."""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node

from tagbot.editor import (
    argocd,
    compose,
    helm_values,
    kustomize,
    manifests,
    markers,
    screen,
    yamldoc,
)
from tagbot.editor.yamldoc import Document
from tagbot.errors import EditError
from tagbot.models import Occurrence, Problem

Backend = Callable[[Document], Iterator[Occurrence]]


def _helm_release(doc: Document) -> Iterator[Occurrence]:
    """A Flux HelmRelease: its `spec.values` and its post-renderers' Kustomize `images`."""
    yield from helm_values.find_release(doc)
    yield from kustomize.post_renderers(doc)


# One backend per file format (STYLE rule 2: an explicit map, no discovery).
BACKENDS: dict[str, Backend] = {
    "manifest": manifests.find,
    "kustomize": kustomize.find,
    "helm-values": helm_values.find,
    "helm-release": _helm_release,
    "argocd": argocd.find,
    "compose": compose.find,
}
_KUSTOMIZATION_FILES = {"kustomization.yaml", "kustomization.yml", "kustomization"}
_KUSTOMIZE_ONLY = {"resources", "bases", "components", "patchesStrategicMerge", "patchesJson6902",
                   "configMapGenerator", "secretGenerator", "namePrefix", "nameSuffix",
                   "commonLabels", "transformers", "generators", "replacements"}  # fmt: skip


@dataclass(frozen=True)
class Extraction:
    """The references found in one file, or the problem that kept the file from being read."""

    occurrences: tuple[Occurrence, ...] = ()
    problem: Problem | None = None


def extract(path: str, text: str) -> Extraction:
    """Find every image reference in `text` (no BOM, line endings as in the file); never raises.

    A file that is not YAML (a Helm template, a broken stream) gives a problem and nothing else.
    """
    if not screen.may_hold_reference(text):
        return Extraction()
    try:
        roots = yamldoc.compose(text)
    except EditError as exc:
        return Extraction(problem=Problem(path, str(exc)))
    many = len(roots) > 1
    docs = [Document(path, f"doc[{n}]:" if many else "", root) for n, root in enumerate(roots, 1)]
    found: list[Occurrence] = []
    claimed: set[int] = set()
    for doc in docs:
        _keep(BACKENDS[classify(path, doc.root)](doc), found, claimed)
    _keep(markers.find(docs, text, claimed), found, claimed)
    found.sort(key=lambda occ: occ.fields[0].start)
    return Extraction(tuple(_refuse_duplicates(found, roots)))


def _refuse_duplicates(found: list[Occurrence], roots: list[Node]) -> Iterator[Occurrence]:
    """Mark the references with a field under a key its mapping gives twice: not rewritable."""
    twice = set().union(*(yamldoc.duplicated(root) for root in roots)) if found else set()
    for occ in found:
        dup = next((f for f in occ.fields if f.start in twice), None)
        if dup is None:
            yield occ
            continue
        yield dataclasses.replace(occ, skip_reason=f"duplicate key at line {dup.line}")


def _keep(candidates: Iterator[Occurrence], found: list[Occurrence], claimed: set[int]) -> None:
    """Add the candidates that are not made only of scalars already part of a reference.

    Backends walk parents before children and anchors before aliases, so a split map wins over
    its own `image` string, and an aliased reference is listed once, where its anchor is. Two
    maps that share an anchored tag (`tag: *version`) are two references.
    """
    for occ in candidates:
        starts = {f.start for f in occ.fields}
        if starts <= claimed:
            continue
        claimed |= starts
        found.append(occ)


def classify(path: str, root: Node) -> str:
    """The backend for one document, by file name and content."""
    name = posixpath.basename(path)
    if name.startswith(".argocd-source"):
        return "argocd"
    if not isinstance(root, MappingNode):
        return "manifest"
    api = yamldoc.text(yamldoc.get(root, "apiVersion")) or ""
    kind = yamldoc.text(yamldoc.get(root, "kind")) or ""
    if api.startswith("kustomize.config.k8s.io/") or name.lower() in _KUSTOMIZATION_FILES:
        return "kustomize"
    if api.startswith("argoproj.io/") and kind in ("Application", "ApplicationSet"):
        return "argocd"
    if api.startswith("helm.toolkit.fluxcd.io/") and kind == "HelmRelease":
        return "helm-release"
    if api and kind:
        return "manifest"
    keys = {str(k.value) for k, _ in root.value}
    if keys and keys <= {"kustomize", "helm"}:
        return "argocd"  # an `.argocd-source.yaml` parameter override, whatever its name
    if compose.looks_like(root):
        return "compose"
    images = yamldoc.get(root, "images")
    if keys & _KUSTOMIZE_ONLY and kustomize.image_list(images, changes=False):
        return "kustomize"
    if "stages" in keys or any(yamldoc.get(v, "script") is not None for _, v in root.value):
        return "manifest"  # GitLab CI: jobs with `image` and `services`
    return "helm-values"
