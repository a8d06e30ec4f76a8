"""Helm values: image maps (`registry`/`repository`/`tag`/`digest` and their odd spellings) and
image strings, in values files, Flux HelmRelease `spec.values` and Argo CD `valuesObject`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from tagbot.editor import identity, refs, yamldoc
from tagbot.editor.yamldoc import Document, PathPart
from tagbot.models import Field, Kind, Occurrence, Role

_BARE_SHA256 = re.compile(r"[a-f0-9]{64}")
_CHROOT = "digestChroot"
# `https://github.com/x`, `oci://registry/charts`, `git@github.com:x/y.git`, `x/y.git`
_URL = re.compile(r"[a-z][a-z0-9+.-]*://|[\w.-]+@[\w.-]+:|.*\.git/?$")
# Map keys named like an image slot; `sha` (below) is Grafana's and Prometheus' digest key.
_SLOT = re.compile(r"(?i)(image|images|imageoverride)$")
_SIBLING_TAG_KEYS = ("tag", "imageTag", "image_tag")
# A boolean that turns the digest on: it must agree with the digest after an edit.
_SWITCH = "useDigest"


def find(doc: Document) -> Iterator[Occurrence]:
    """References in a values document."""
    yield from scan(doc, doc.root, (), "helm-values")


def resembles(_: MappingNode) -> bool:
    """Any untyped mapping no other kind recognised: values files have no header."""
    return True


def scan(doc: Document, root: Node, base: tuple[PathPart, ...], kind: Kind) -> Iterator[Occurrence]:
    """References anywhere under `root`, a values tree whose locators start with `base`."""
    chart = identity.chart(root, base)
    shared = _shared_hub(doc, root, base, kind, chart)
    if shared is not None:
        yield shared
    for visit in yamldoc.walk(root):
        path = base + visit.path
        node = visit.node
        if isinstance(node, MappingNode):
            found = _image_map(doc, node, path, kind, chart, visit.parents)
            if found is not None:
                yield found
        elif isinstance(node, ScalarNode) and isinstance(visit.key, str):
            found = _image_string(doc, node, path, kind)
            if found is not None:
                yield found


def _shared_hub(
    doc: Document, root: Node, base: tuple[PathPart, ...], kind: Kind, chart: identity.Chart
) -> Occurrence | None:
    """Istio's `global.hub` + `global.tag`: one reference that moves every image taking both.

    Its identity is the first such image (they are released together under one tag).
    """
    if chart.hub is None or chart.tag is None:
        return None
    names = identity.names_under_hub(root)
    fields = [yamldoc.field(chart.hub, "registry"), yamldoc.field(chart.tag, "tag")]
    hub, tag = yamldoc.text(chart.hub) or "", yamldoc.text(chart.tag) or ""
    if not names:
        resolved = refs.Resolved(None, "global.hub and global.tag: no image takes them")
    else:
        resolved = refs.from_parts(hub or None, names[0], tag, None)
    note = "moves together: " + ", ".join(names) if names else None
    found = refs.occurrence(doc.path, kind, doc.locator((*base, "global")), fields, resolved)
    return dataclasses.replace(found, identity_note=note)


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
    if "hub" in values and "registry" not in values:  # Istio names its registry `hub`
        add("hub", "registry")
    digest_key = next((k for k in ("digest", "sha") if k in values), None)
    if digest_key:
        add(digest_key, "digest")
        if _CHROOT in values:  # ingress-nginx: the chroot variant's digest goes stale too
            add(_CHROOT, "digest")
        if _SWITCH in values:
            add(_SWITCH, "switch")
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


@dataclass(frozen=True)
class _Map:
    """One image map being read: where it is, its scalar values and the chart around it."""

    doc: Document
    kind: Kind
    path: tuple[PathPart, ...]
    values: dict[str, ScalarNode]
    chart: identity.Chart
    parents: tuple[Node, ...]

    def own(self) -> dict[str, str]:
        return {k: yamldoc.text(v) or "" for k, v in self.values.items()}


def _image_map(
    doc: Document, node: MappingNode, path: tuple[PathPart, ...], kind: Kind,
    chart: identity.Chart, parents: tuple[Node, ...],
) -> Occurrence | None:  # fmt: skip
    values = yamldoc.scalars(node)
    where = _Map(doc, kind, path, values, chart, parents)
    slot = image_slot(path[-1] if path else None)
    parts = _parts(values, slot)
    roles = {f.role for f, _ in parts.values()}
    if slot and not roles & {"repository", "tag"}:
        return None  # `image: {}`, or a registry alone (a chart-wide setting, not a reference)
    if not slot and not ("repository" in parts and roles & {"tag"}):
        return _sibling_pair(where)
    if not slot and _URL.match(parts["repository"][1]):
        return None  # a git or chart repository with a `tag` (a source, a dependency)
    value = {k: v for k, (_, v) in parts.items()}
    names = [k for k in ("repository", "image", "name") if k in value]
    # cert-manager: an empty `repository` defers to registry+namespace+name: left unresolved
    repository = value[names[0]] if names else None
    tag = next((value[k] for k, (f, _) in parts.items() if f.role == "tag"), None)
    digest = next((value[k] for k, (f, _) in parts.items() if f.role == "digest"), None)
    if digest and _BARE_SHA256.fullmatch(digest):
        digest = f"sha256:{digest}"  # Grafana's `sha:` holds the hex; its template adds `sha256:`
    name_only = bool(names) and names[0] != "repository"
    fields = [f for f, _ in parts.values()]
    return _identify(where, path, fields, (repository, tag, digest), name_only=name_only)


def _sibling_pair(where: _Map) -> Occurrence | None:
    """`image: grafana/logstash` beside `imageTag: 1.0.1` (loki-stack, redis-ha exporter), and
    Istio's `{hub, image, tag}` and Traefik's `{registry, image, tag}` in any order."""
    values = where.values
    image = values.get("image")
    tag_key = next((k for k in _SIBLING_TAG_KEYS if k in values), None)
    if image is None or tag_key is None:
        return None
    name = yamldoc.text(image) or ""
    if refs.whole_ref(name):
        return None  # a whole reference: the string rule lists it
    tag = yamldoc.text(values[tag_key]) or ""
    own = where.own()
    if where.chart.tag is not None and not tag and not own.get("hub"):
        return None  # Istio: it takes global.hub and global.tag, one shared reference
    fields = [yamldoc.field(image, "repository"), yamldoc.field(values[tag_key], "tag")]
    fields += [yamldoc.field(values[k], "registry") for k in ("registry", "hub") if k in values]
    locator = (*where.path, "image")
    return _identify(where, locator, fields, (name, tag, None), name_only=True)


def _identify(
    where: _Map, locator: tuple[PathPart, ...], fields: list[Field],
    version: tuple[str | None, str | None, str | None], *, name_only: bool,
) -> Occurrence:  # fmt: skip
    """The occurrence, its identity built from every key in scope that shapes the pulled name."""
    repository, tag, digest = version
    own = where.own()
    istio = name_only and where.chart.hub_value is not None
    registry, why = identity.registry(where.chart, own, istio=istio)
    why = identity.doubt(where.chart, own, where.path, where.parents) or why
    bare = name_only and repository and "/" not in repository and not tag
    if bare and registry is None and why is None:
        resolved = refs.Resolved(None, identity.NAME_ONLY)  # never an invented library/ name
    else:
        resolved = refs.from_parts(registry, repository, tag, digest)
    if why is not None and resolved.image is not None:
        resolved = refs.Resolved(resolved.image, why)
    found = refs.occurrence(
        where.doc.path, where.kind, where.doc.locator(locator), fields, resolved
    )
    return dataclasses.replace(found, identity_note=why) if why else found


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
