"""OpenShift ImageStreams: `spec.tags[i].from.name` when `from.kind` is `DockerImage`, beside
whatever images the object holds as any other manifest."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import ScalarNode, SequenceNode

from tagbot.editor import refs, yamldoc
from tagbot.editor.kinds import manifests
from tagbot.editor.kinds.base import Header
from tagbot.editor.yamldoc import Document
from tagbot.models import Occurrence


def claims(header: Header) -> bool:
    """An ImageStream (`image.openshift.io/v1`, or the legacy `v1`)."""
    return header.kind == "ImageStream" and (
        header.api.startswith("image.openshift.io/") or header.api == "v1"
    )


def find(doc: Document) -> Iterator[Occurrence]:
    """The DockerImage each tag imports, then the images any manifest could hold."""
    tags = yamldoc.get(yamldoc.get(doc.root, "spec"), "tags")
    for index, tag in enumerate(tags.value if isinstance(tags, SequenceNode) else []):
        source = yamldoc.get(tag, "from")
        name = yamldoc.get(source, "name")
        value = yamldoc.text(name)
        if yamldoc.text(yamldoc.get(source, "kind")) != "DockerImage" or not value:
            continue  # an ImageStreamTag or ImageStreamImage names another stream, not an image
        assert isinstance(name, ScalarNode)
        located = doc.locator(("spec", "tags", index, "from", "name"))
        field = yamldoc.field(name, "image")
        yield refs.occurrence(doc.path, "manifest", located, [field], refs.from_string(value))
    yield from manifests.find(doc)
