"""Helm values: image maps (`registry`/`repository`/`tag`/`digest` and their odd spellings) and
image strings, in values files, Flux HelmRelease `spec.values` and Argo CD `valuesObject`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from tagbot.editor import refs, yamldoc
from tagbot.editor.yamldoc import Document, PathPart
from tagbot.models import Field, Kind, Occurrence, Role

_BARE_SHA256 = re.compile(r"[a-f0-9]{64}")
_CHROOT = "digestChroot"
# `https://github.com/x`, `oci://registry/charts`, `git@github.com:x/y.git`, `x/y.git`
_URL = re.compile(r"[a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:|.*\.git/?$")
# Map keys named like an image slot; `sha` (below) is Grafana's and Prometheus' digest key.
_SLOT = re.compile(r"(?i)(image|images|imageoverride)$")
_SIBLING_TAG_KEYS = ("tag", "imageTag", "image_tag")


@dataclass(frozen=True)
class Registries:
    """Chart-wide registry settings: `global.imageRegistry` overrides, `global.image.registry`
    fills in for maps that name none (ingress-nginx)."""

    override: str | None = None
    default: str | None = None


def find(doc: Document) -> Iterator[Occurrence]:
    """References in a values document."""
    yield from scan(doc, doc.root, (), "helm-values")


def resembles(_: MappingNode) -> bool:
    """Any untyped mapping no other kind recognised: values files have no header."""
    return True


def scan(doc: Document, root: Node, base: tuple[PathPart, ...], kind: Kind) -> Iterator[Occurrence]:
    """References anywhere under `root`, a values tree whose locators start with `base`."""
    registries = _registries(root)
    for visit in yamldoc.walk(root):
        path = base + visit.path
        node = visit.node
        if isinstance(node, MappingNode):
            found = _image_map(doc, node, path, kind, registries)
            if found is not None:
                yield found
        elif isinstance(node, ScalarNode) and isinstance(visit.key, str):
            found = _image_string(doc, node, path, kind)
            if found is not None:
                yield found


def _registries(root: Node) -> Registries:
    settings = yamldoc.get(root, "global")
    override = yamldoc.text(yamldoc.get(settings, "imageRegistry"))
    default = yamldoc.text(yamldoc.get(yamldoc.get(settings, "image"), "registry"))
    return Registries(override or None, default or None)


def image_slot(key: PathPart | None) -> bool:
    """True for keys that hold an image map: `image`, `initImage`, `images`, `imageOverride`."""
    return isinstance(key, str) and _SLOT.search(key) is not None


def _parts(values: dict[str, ScalarNode], slot: bool) -> dict[str, tuple[Field, str]]:
    """The map's reference parts by key: (field, value); `image`/`name` only in image slots."""
    parts: dict[str, tuple[Field, str]] = {}

    def add(key: str, role: Role) -> None:
        parts[key] = (yamldoc.field(values[key], role), yamldoc.text(values[key]) or "")

    for key in ("registry", "repository", "tag"):
        if key in values:
            add(key, key)
    digest_key = next((k for k in ("digest", "sha") if k in values), None)
    if digest_key:
        add(digest_key, "digest")
        if _CHROOT in values:  # ingress-nginx: the chroot variant's digest goes stale too
            add(_CHROOT, "digest")
    for key in ("image", "name") if slot else ():
        # ingress-nginx `image.image`, cert-manager `image.name`; a whole `x:1.2` is a string ref
        if key in values and not refs.whole_ref(yamldoc.text(values[key]) or ""):
            add(key, "repository")
    if "version" in values and "tag" not in parts and slot:  # not a chart dependency's `version`
        role: Role = (
            "digest" if (yamldoc.text(values["version"]) or "").startswith("sha256:") else "tag"
        )
        if not any(f.role == role for f, _ in parts.values()):
            add("version", role)
    return parts


def _image_map(
    doc: Document, node: MappingNode, path: tuple[PathPart, ...], kind: Kind, reg: Registries
) -> Occurrence | None:
    values = yamldoc.scalars(node)
    slot = image_slot(path[-1] if path else None)
    parts = _parts(values, slot)
    roles = {f.role for f, _ in parts.values()}
    if slot and not roles & {"repository", "tag"}:
        return None  # `image: {}`, or a registry alone (a chart-wide setting, not a reference)
    if not slot and not ("repository" in parts and roles & {"tag"}):
        return _sibling_pair(doc, values, path, kind, reg)
    if not slot and _URL.match(parts["repository"][1]):
        return None  # a git or chart repository with a `tag` (a source, a dependency)
    value = {k: v for k, (_, v) in parts.items()}
    names = [value[k] for k in ("repository", "image", "name") if k in value]
    # cert-manager: an empty `repository` defers to registry+namespace+name: left unresolved
    repository = names[0] if names else None
    registry = reg.override or value.get("registry") or reg.default
    tag = next((value[k] for k, (f, _) in parts.items() if f.role == "tag"), None)
    digest = next((value[k] for k, (f, _) in parts.items() if f.role == "digest"), None)
    if digest and _BARE_SHA256.fullmatch(digest):
        digest = f"sha256:{digest}"  # Grafana's `sha:` holds the hex; its template adds `sha256:`
    resolved = refs.from_parts(registry, repository, tag, digest)
    fields = [f for f, _ in parts.values()]
    return refs.occurrence(doc.path, kind, doc.locator(path), fields, resolved)


def _sibling_pair(
    doc: Document, values: dict[str, ScalarNode], path: tuple[PathPart, ...], kind: Kind,
    reg: Registries,
) -> Occurrence | None:  # fmt: skip
    """`image: grafana/logstash` beside `imageTag: 1.0.1` (loki-stack, redis-ha exporter)."""
    image = values.get("image")
    tag_key = next((k for k in _SIBLING_TAG_KEYS if k in values), None)
    if image is None or tag_key is None:
        return None
    name = yamldoc.text(image) or ""
    if refs.whole_ref(name):
        return None  # a whole reference: the string rule lists it
    tag = yamldoc.text(values[tag_key]) or ""
    fields = [yamldoc.field(image, "repository"), yamldoc.field(values[tag_key], "tag")]
    resolved = refs.from_parts(reg.override or reg.default, name, tag, None)
    return refs.occurrence(doc.path, kind, doc.locator((*path, "image")), fields, resolved)


def _image_string(
    doc: Document, node: ScalarNode, path: tuple[PathPart, ...], kind: Kind
) -> Occurrence | None:
    key = path[-1]
    value = yamldoc.text(node)
    if not value or not refs.imageish(key):
        return None
    if key == "image":
        listed = refs.in_container(path) or refs.plausible(value) or refs.templated(value)
    else:
        listed = refs.whole_ref(value)
    if not listed:
        return None
    field = yamldoc.field(node, "image")
    return refs.occurrence(doc.path, kind, doc.locator(path), [field], refs.from_string(value))
