"""Docker Compose files: every service's `image:` (v2/v3 `services:`, and v1 top-level services)."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from tagbot.editor import refs, yamldoc
from tagbot.editor.yamldoc import Document, PathPart
from tagbot.models import Occurrence

# Keys only a Compose service has; they tell a v1 file (services at the top) from Helm values.
_SERVICE_ONLY = {
    "build",
    "depends_on",
    "links",
    "external_links",
    "deploy",
    "container_name",
    "env_file",
}


def find(doc: Document) -> Iterator[Occurrence]:
    """One occurrence per service with an `image:` string."""
    services = yamldoc.get(doc.root, "services")
    base: tuple[PathPart, ...] = ("services",)
    if not _service_map(services):
        services, base = doc.root, ()
    if not isinstance(services, MappingNode):
        return
    for key, service in services.value:
        image = yamldoc.lookup(service, "image")  # `<<: *defaults` may give it
        value = yamldoc.text(image)
        if not isinstance(image, ScalarNode) or not value:
            continue
        field = yamldoc.field(image, "image")
        located = doc.locator((*base, str(key.value), "image"))
        yield refs.occurrence(doc.path, "compose", located, [field], refs.from_string(value))


def looks_like(root: Node) -> bool:
    """True for a Compose file: a `services:` map of services, or v1 services at the top."""
    if _service_map(yamldoc.get(root, "services")):
        return True
    if not isinstance(root, MappingNode) or not root.value:
        return False
    services = [value for _, value in root.value]
    if not all(isinstance(s, MappingNode) for s in services):
        return False
    return any(_SERVICE_ONLY & _keys(s) for s in services)


def _service_map(node: Node | None) -> bool:
    if not isinstance(node, MappingNode) or not node.value:
        return False
    return all(isinstance(v, MappingNode) for _, v in node.value) and any(
        {"image", "build"} & _keys(v) for _, v in node.value
    )


def _keys(node: Node) -> set[str]:
    return {str(k.value) for k, _ in node.value if isinstance(k, ScalarNode)}
