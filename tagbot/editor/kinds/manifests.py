"""Kubernetes objects and other YAML with `image:` keys: pod specs in any workload or custom
resource, image strings elsewhere (Tekton steps, Argo Workflows), GitLab CI jobs and services."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, ScalarNode

from tagbot.editor import refs, yamldoc
from tagbot.editor.kinds import kustomize
from tagbot.editor.kinds.base import Header
from tagbot.editor.yamldoc import Document, Visit
from tagbot.models import Occurrence


def claims(header: Header) -> bool:
    """Any typed object (apiVersion and kind) no other kind claimed, and any non-mapping root."""
    return header.typed or not header.mapping


def resembles(root: MappingNode) -> bool:
    """A GitLab CI file: `stages`, or a job with a `script`."""
    keys = {str(k.value) for k, _ in root.value}
    return "stages" in keys or any(yamldoc.get(v, "script") is not None for _, v in root.value)


def find(doc: Document) -> Iterator[Occurrence]:
    """Container images, plausible image strings and Kustomize-style image lists in a document."""
    for visit in yamldoc.walk(doc.root):
        node = visit.node
        if visit.key == "images" and kustomize.image_list(node):
            yield from kustomize.entries(doc, node, visit.path)  # type: ignore[arg-type]
        elif isinstance(node, ScalarNode) and visit.key is not None:
            found = _scalar(doc, node, visit)
            if found is not None:
                yield found


def _scalar(doc: Document, node: ScalarNode, visit: Visit) -> Occurrence | None:
    value = yamldoc.text(node)
    if not value or not _listed(value, visit):
        return None
    field = yamldoc.field(node, "image")
    located = doc.locator(visit.path)
    return refs.occurrence(doc.path, "manifest", located, [field], refs.from_string(value))


def _listed(value: str, visit: Visit) -> bool:
    """True when structure says the scalar is an image, or its key and value both suggest one.

    A container's `image` is always one. Elsewhere an `image` key counts when its value looks like
    a reference (a Ceph `rbd.image: foo` does not); other `*image*` keys need a tag or digest.
    """
    path, key = visit.path, visit.key
    if refs.in_container(path) or _gitlab_image(visit):
        return True
    if key == "image":
        return refs.plausible(value)
    return refs.imageish(key) and refs.whole_ref(value)


def _gitlab_image(visit: Visit) -> bool:
    """GitLab CI: a job's `image`, `image.name`, `services[i]` and `services[i].name`."""
    path, parents = visit.path, visit.parents
    if path[-1] == "image":
        return _job(parents[-1])
    if len(path) >= 2 and path[-2] == "image" and path[-1] == "name":
        return len(parents) >= 2 and _job(parents[-2])
    if len(path) >= 2 and path[-2] == "services" and isinstance(path[-1], int):
        return len(parents) >= 2 and _job(parents[-2])
    if len(path) >= 3 and path[-3] == "services" and path[-1] == "name":
        return len(parents) >= 3 and _job(parents[-3])
    return False


def _job(node: object) -> bool:
    return isinstance(node, MappingNode) and yamldoc.get(node, "script") is not None
