"""Event payloads -> hints: which images a registry, forge or CI says changed (never trusted).

Each parser follows its sender's documented shape and returns the pushed images; an event that
is not a push (a pull, a delete, a non-container package) gives no hint. A body that is not the
documented shape raises BadPayload (400).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tagbot.errors import InvalidReference
from tagbot.imageref import parse, parse_name

Payload = dict[str, Any]


class BadPayload(ValueError):
    """The body is not the shape its source documents."""


@dataclass(frozen=True)
class Hint:
    """An image an event says changed: its normalised name, and the tag (and digest) pushed
    when known."""

    image: str
    tag: str | None = None
    digest: str | None = None

    @property
    def version(self) -> str | None:
        """`tag[@digest]`, or None without a tag."""
        if self.tag is None:
            return None
        return f"{self.tag}@{self.digest}" if self.digest else self.tag


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(data: Any, *keys: str) -> str:
    value = _get(data, *keys)
    if not isinstance(value, str) or not value:
        raise BadPayload(f"missing {'.'.join(keys)}")
    return value


def _hint(registry: str | None, repository: str, tag: Any = None) -> Hint:
    name = f"{registry}/{repository}" if registry else repository
    try:
        ref = parse_name(name)
    except InvalidReference as exc:
        raise BadPayload(str(exc)) from None
    return Hint(ref.name, tag if isinstance(tag, str) and tag else None)


def distribution(data: Payload, registry: str | None) -> list[Hint]:
    """CNCF distribution notifications (`events[].target`), as Docker's registry, GitLab's
    container registry and Harbor's core send them: manifest pushes with a tag or a digest."""
    events = data.get("events")
    if not isinstance(events, list):
        raise BadPayload("missing events")
    hints = []
    for event in events:
        if _get(event, "action") != "push" or not isinstance(_get(event, "target"), dict):
            continue
        media = str(_get(event, "target", "mediaType") or "")
        blob = (".layer.", "rootfs", ".config.", "container.image.v1")
        if media == "application/octet-stream" or any(part in media for part in blob):
            continue  # a blob (layer or config) push: the manifest's event follows
        host = registry or _get(event, "request", "host")
        repository = _text(event, "target", "repository")
        hints.append(_hint(host, repository, _get(event, "target", "tag")))
    return hints


def harbor(data: Payload, registry: str | None) -> list[Hint]:
    """Harbor webhooks (default format): `PUSH_ARTIFACT` with `event_data.resources[]`."""
    if data.get("type") != "PUSH_ARTIFACT":
        return []
    name = _text(data, "event_data", "repository", "repo_full_name")
    resources = _get(data, "event_data", "resources")
    if not isinstance(resources, list):
        raise BadPayload("missing event_data.resources")
    hints = []
    for resource in resources:
        url = _get(resource, "resource_url")
        host = registry or (url.split("/", 1)[0] if isinstance(url, str) and "/" in url else None)
        hints.append(_hint(host, name, _get(resource, "tag")))
    return hints


def dockerhub(data: Payload, registry: str | None) -> list[Hint]:
    """Docker Hub webhooks: `repository.repo_name` and `push_data.tag`."""
    name = _text(data, "repository", "repo_name")
    return [_hint(registry or "docker.io", name, _get(data, "push_data", "tag"))]


def github(data: Payload, registry: str | None) -> list[Hint]:
    """GitHub `package` and `registry_package` events for container packages: `package_url`
    (`ghcr.io/acme/api:1.4.2`), else `ghcr.io/<namespace>/<name>` with the version's tag."""
    package = data.get("package") or data.get("registry_package")
    if not isinstance(package, dict):
        raise BadPayload("missing package")
    if str(package.get("package_type", "")).lower() != "container":
        return []
    if data.get("action") not in ("published", "updated"):
        return []
    version = package.get("package_version") or {}
    url = _get(version, "package_url")
    if isinstance(url, str) and url and registry is None:
        try:
            ref = parse(url)
        except InvalidReference as exc:
            raise BadPayload(str(exc)) from None
        return [Hint(ref.name, ref.tag)]
    owner = package.get("namespace") or _get(package, "owner", "login")
    name = _text(package, "name")
    tag = _get(version, "container_metadata", "tag", "name")
    return [_hint(registry or "ghcr.io", f"{str(owner).lower()}/{name.lower()}", tag)]


def quay(data: Payload, registry: str | None) -> list[Hint]:
    """Quay repository-push notifications: `docker_url` and `updated_tags` (a list, or a
    mapping of tag to image id in older Quay)."""
    url = _text(data, "docker_url")
    host, _, name = url.partition("/")
    tags = data.get("updated_tags") or [None]
    return [_hint(registry or host, name, tag) for tag in tags]


def acr(data: Payload, registry: str | None) -> list[Hint]:
    """Azure Container Registry webhooks: `action: push`, `target.repository`/`tag`,
    `request.host`."""
    if data.get("action") not in ("push", "chart_push"):
        return []
    host = registry or _get(data, "request", "host")
    return [_hint(host, _text(data, "target", "repository"), _get(data, "target", "tag"))]


def generic(data: Payload, registry: str | None) -> list[Hint]:
    """tagbot's own CI endpoint: `{"image": "ghcr.io/acme/api:1.4.2"}` or `{"images": [...]}`."""
    images = data.get("images", [data.get("image")])
    if not isinstance(images, list) or not images:
        raise BadPayload("give image or images")
    hints = []
    for text in images:
        if not isinstance(text, str):
            raise BadPayload("image must be a string such as ghcr.io/acme/api:1.4.2")
        try:
            ref = parse(text)
        except InvalidReference as exc:
            raise BadPayload(str(exc)) from None
        hints.append(Hint(ref.name, ref.tag, ref.digest))
    return hints


PARSERS: dict[str, Callable[[Payload, str | None], list[Hint]]] = {
    "distribution": distribution,
    "gitlab": distribution,  # GitLab's container registry sends distribution notifications
    "harbor": harbor,
    "dockerhub": dockerhub,
    "github": github,
    "quay": quay,
    "acr": acr,
    "generic": generic,
}


def hints(kind: str, data: Any, registry: str | None = None) -> list[Hint]:
    """The images a payload of source `kind` names; BadPayload when it is not that shape."""
    if not isinstance(data, dict):
        raise BadPayload("the body must be a JSON object")
    return PARSERS[kind](data, registry)
