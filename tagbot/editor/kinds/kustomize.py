"""Kustomize `images:` entries (`name`/`newName`/`newTag`/`digest`), in kustomization files and
wherever the same list appears (Flux Kustomization `spec.images`)."""

from __future__ import annotations

from collections.abc import Iterator

from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from tagbot import imageref
from tagbot.editor import refs, yamldoc
from tagbot.editor.kinds import helm_values
from tagbot.editor.kinds.base import Header
from tagbot.editor.yamldoc import Document, PathPart
from tagbot.errors import InvalidReference
from tagbot.models import Occurrence, Role

# newName after name: the apply half rewrites the last `repository` field, the deployed name.
_ROLES: dict[str, Role] = {
    "name": "repository",
    "newName": "repository",
    "newTag": "tag",
    "digest": "digest",
    "newDigest": "digest",  # a spelling some repositories use beside Kustomize's `digest`
}
_CHANGES = ("newName", "newTag", "digest", "newDigest")
_FILE_NAMES = {"kustomization.yaml", "kustomization.yml", "kustomization"}
# Keys only a kustomization has: with an `images:` list of names they mark one without a header.
_KUSTOMIZE_ONLY = {"resources", "bases", "components", "patchesStrategicMerge", "patchesJson6902",
                   "configMapGenerator", "secretGenerator", "namePrefix", "nameSuffix",
                   "commonLabels", "transformers", "generators", "replacements"}  # fmt: skip


def claims(header: Header) -> bool:
    """A kustomize.config.k8s.io document, or any file named as Kustomize reads it."""
    return header.mapping and (
        header.api.startswith("kustomize.config.k8s.io/") or header.name.lower() in _FILE_NAMES
    )


def resembles(root: MappingNode) -> bool:
    """A kustomization without a header: its own keys beside an `images:` list of names."""
    keys = {str(k.value) for k, _ in root.value}
    return bool(keys & _KUSTOMIZE_ONLY) and image_list(yamldoc.get(root, "images"), changes=False)


def find(doc: Document) -> Iterator[Occurrence]:
    """The entries of a kustomization's `images:`, and image references in `helmCharts` values."""
    images = yamldoc.get(doc.root, "images")
    if isinstance(images, SequenceNode):
        yield from entries(doc, images, ("images",))
    charts = yamldoc.get(doc.root, "helmCharts")
    for index, chart in enumerate(charts.value if isinstance(charts, SequenceNode) else []):
        values = yamldoc.get(chart, "valuesInline")
        if values is not None:
            path = ("helmCharts", index, "valuesInline")
            yield from helm_values.scan(doc, values, path, "helm-values")


def image_list(node: Node | None, *, changes: bool = True) -> bool:
    """True for a sequence of `{name, newName|newTag|digest}` maps: an images transformer list.

    With `changes=False` an entry needs only its `name` (a kustomization may list just names).
    """
    if not isinstance(node, SequenceNode) or not node.value:
        return False
    for item in node.value:
        values = yamldoc.scalars(item) if isinstance(item, MappingNode) else {}
        if "name" not in values or (changes and not any(k in values for k in _CHANGES)):
            return False
    return True


def entries(
    doc: Document, images: SequenceNode, path: tuple[PathPart, ...]
) -> Iterator[Occurrence]:
    """One occurrence per `{name, ...}` entry of an images list."""
    for index, item in enumerate(images.value):
        if not isinstance(item, MappingNode):
            continue
        values = yamldoc.scalars(item)
        if "name" not in values:
            continue
        fields = [yamldoc.field(values[k], role) for k, role in _ROLES.items() if k in values]
        given = {k: yamldoc.text(v) or "" for k, v in values.items()}
        resolved = _resolve(given)
        yield refs.occurrence(doc.path, "kustomize", doc.locator((*path, index)), fields, resolved)


def _resolve(given: dict[str, str]) -> refs.Resolved:
    """The image an entry deploys: `newName` if set, else `name`, at `newTag`/`digest`."""
    name = given.get("newName") or given["name"]
    tag, digest = given.get("newTag"), given.get("digest", given.get("newDigest"))
    if any(refs.templated(v) for v in (name, tag or "", digest or "")):
        return refs.Resolved(None, refs.TEMPLATED)
    try:
        ref = imageref.parse_name(name)
    except InvalidReference as exc:
        return refs.Resolved(None, f"invalid reference: {exc}")
    if tag is not None and not imageref.valid_tag(tag):
        return refs.Resolved(None, f"invalid tag {tag!r}")
    if digest and not imageref.valid_digest(digest):
        return refs.Resolved(None, f"invalid digest {digest!r}")
    ref = ref.with_version(tag, digest or None)
    if "tagSuffix" in given:
        return refs.Resolved(ref, "tagSuffix set: the tag is derived")
    if digest and tag is None:
        return refs.Resolved(ref, refs.DIGEST_ONLY)
    # An entry without newTag is rewritable: the apply half inserts `newTag`.
    return refs.Resolved(ref)
