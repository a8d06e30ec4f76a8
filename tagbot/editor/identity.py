"""Which image a Helm values reference pulls, from every key that shapes it, and the hook by
which a config rule states the identity of a reference tagbot cannot work out alone."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from tagbot import imageref
from tagbot.editor import yamldoc
from tagbot.editor.yamldoc import PathPart
from tagbot.errors import InvalidReference
from tagbot.models import ImageRef, Occurrence

UNCERTAIN = "identity uncertain"
NAME_ONLY = "no repository: only an image name, its registry is set elsewhere"
# Chart-wide keys that change the pulled name in ways no common convention pins down.
_UNKNOWN_GLOBALS = (("global", "registry"), ("global", "defaultRegistry"), ("defaultRegistry",))
# Keys beside an image's parts that make the chart pull something else: a whole reference
# (`override`), or a suffix it appends to the name or tag (`suffix`, Istio's `variant`).
_MAP_OVERRIDES = (
    "override", "suffix", "nameSuffix", "repositorySuffix", "tagSuffix", "variant", "imageRegistry",
)  # fmt: skip


@dataclass(frozen=True)
class Chart:
    """Chart-wide settings of one values tree that shape the pulled references.

    `image_registry` is bitnami's `global.imageRegistry` (it replaces a map's `registry`);
    `default_registry` is ingress-nginx's `global.image.registry` (it fills a map that names
    none); `hub`/`tag` are Istio's `global.hub`/`global.tag`; `unknown` names set overrides
    whose effect tagbot cannot tell.
    """

    image_registry: str | None = None
    default_registry: str | None = None
    hub: ScalarNode | None = None
    tag: ScalarNode | None = None
    unknown: tuple[str, ...] = ()

    @property
    def hub_value(self) -> str | None:
        """`global.hub`'s value, or None when it is unset or empty."""
        return yamldoc.text(self.hub) or None


def chart(root: Node, base: tuple[PathPart, ...]) -> Chart:
    """Read the chart-wide settings at the top of a values tree whose locators start at `base`."""
    settings = yamldoc.get(root, "global")
    unknown = []
    for path in _UNKNOWN_GLOBALS:
        node: Node | None = root
        for key in path:
            node = yamldoc.get(node, key)
        if yamldoc.text(node):
            unknown.append(yamldoc.dotted((*base, *path)))
    hub, tag = yamldoc.get(settings, "hub"), yamldoc.get(settings, "tag")
    return Chart(
        yamldoc.text(yamldoc.get(settings, "imageRegistry")) or None,
        yamldoc.text(yamldoc.get(yamldoc.get(settings, "image"), "registry")) or None,
        hub if isinstance(hub, ScalarNode) else None,
        tag if isinstance(tag, ScalarNode) else None,
        tuple(unknown),
    )


def registry(chart: Chart, own: Mapping[str, str], *, istio: bool) -> tuple[str | None, str | None]:
    """(the registry a map's image is pulled from, why that is uncertain or None).

    `own` holds the map's values by key; `istio` is true for a map named by `image` + `hub`.
    """
    if "registry" in own:  # bitnami's common.images.image: the global one wins when set
        return chart.image_registry or own["registry"] or chart.default_registry, None
    if "hub" in own or istio:  # Istio: `{{ .hub | default .Values.global.hub }}/{{ .image }}`
        return own.get("hub") or chart.hub_value, None
    if chart.image_registry:
        return None, f"{UNCERTAIN}: global.imageRegistry is set"
    if chart.hub_value:
        return None, f"{UNCERTAIN}: global.hub is set"
    return chart.default_registry, None


def doubt(
    chart: Chart, own: Mapping[str, str], path: tuple[PathPart, ...], parents: Sequence[Node]
) -> str | None:
    """Why a reference's identity is uncertain whatever its registry, or None."""
    if chart.unknown:
        return f"{UNCERTAIN}: {chart.unknown[0]} is set"
    for key in _MAP_OVERRIDES:
        if own.get(key):
            return f"{UNCERTAIN}: {yamldoc.dotted((*path, key))} is set"
    # A parent's `imageRegistry` (`controller.imageRegistry`, or one at the top) is joined to
    # the names below it by each chart in its own way.
    for depth, parent in enumerate(parents):
        if yamldoc.text(yamldoc.get(parent, "imageRegistry")):
            where = yamldoc.dotted((*path[: len(path) - len(parents) + depth], "imageRegistry"))
            return f"{UNCERTAIN}: {where} is set"
    return None


def state(occurrence: Occurrence, name: str) -> Occurrence:
    """The occurrence with the identity a config image rule states (`image: ghcr.io/x/y`).

    Only a reference tagbot lists as `identity uncertain` (or as a name without repository)
    takes a stated identity; any other is returned unchanged. Raises InvalidReference for a
    name that does not parse. This is the hook for the config's image rules.
    """
    reason = occurrence.skip_reason or ""
    if not (reason.startswith(UNCERTAIN) or reason == NAME_ONLY):
        return occurrence
    stated = imageref.parse_name(name)
    tag = occurrence.image.tag if occurrence.image else _field(occurrence, "tag")
    digest = occurrence.image.digest if occurrence.image else _field(occurrence, "digest")
    image = ImageRef(stated.registry, stated.repository, tag or None, digest or None, name)
    note = f"stated by config ({reason})"
    return dataclasses.replace(occurrence, image=image, skip_reason=None, identity_note=note)


def _field(occurrence: Occurrence, role: str) -> str | None:
    return next((f.value for f in occurrence.fields if f.role == role), None)


def names_under_hub(root: Node) -> list[str]:
    """Image names that take both `global.hub` and `global.tag` (`{image: pilot, tag: ""}`)."""
    names: list[str] = []
    for visit in yamldoc.walk(root):
        if not isinstance(visit.node, MappingNode):
            continue
        values = {k: yamldoc.text(v) or "" for k, v in yamldoc.scalars(visit.node).items()}
        name = values.get("image", "")
        if not name or "repository" in values or values.get("hub") or values.get("tag"):
            continue
        try:
            imageref.parse_name(name)
        except InvalidReference:
            continue
        if name not in names:
            names.append(name)
    return names
