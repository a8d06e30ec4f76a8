"""The one image-reference parser, after distribution/reference's grammar (reference.go, normalize.go)."""

from __future__ import annotations

import re

from tagbot.errors import InvalidReference
from tagbot.models import DEFAULT_REGISTRY, ImageRef

_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
DOMAIN_RE = re.compile(rf"^{_DOMAIN}$")
PATH_RE = re.compile(rf"^{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*$")
TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")
DIGEST_RE = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$")
_HEX = {"sha256": 64, "sha384": 96, "sha512": 128}
NAME_MAX = 255
_LEGACY_DOCKER_HOSTS = {"index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}


def split_domain(name: str) -> tuple[str | None, str]:
    """Split `host[:port]/path` into (host, path); host is None when the name has none."""
    first, sep, rest = name.partition("/")
    if not sep:
        return None, name
    if "." in first or ":" in first or first == "localhost" or first.lower() != first:
        return first, rest
    return None, name


def valid_tag(tag: str) -> bool:
    """True when `tag` matches the OCI tag grammar `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`."""
    return TAG_RE.fullmatch(tag) is not None


def valid_digest(digest: str) -> bool:
    """True when `digest` is `algorithm:hex` with the right length for known algorithms."""
    if not DIGEST_RE.fullmatch(digest):
        return False
    algo, _, hexpart = digest.partition(":")
    want = _HEX.get(algo)
    return want is None or (
        len(hexpart) == want and re.fullmatch(r"[a-f0-9]+", hexpart) is not None
    )


def parse_name(name: str) -> ImageRef:
    """Parse an image name without tag or digest; raises InvalidReference with the reason."""
    if not name:
        raise InvalidReference("empty image name")
    if len(name) > NAME_MAX:
        raise InvalidReference(f"image name longer than {NAME_MAX} characters")
    domain, path = split_domain(name)
    if domain is not None and not DOMAIN_RE.fullmatch(domain):
        raise InvalidReference(f"invalid registry host {domain!r}")
    if not PATH_RE.fullmatch(path.lower()):  # bad characters first: `${IMAGE}` is not "uppercase"
        raise InvalidReference(f"invalid repository name {path!r}")
    if path.lower() != path:
        raise InvalidReference(f"repository name {path!r} must be lowercase")
    registry = domain.lower() if domain else DEFAULT_REGISTRY
    if registry in _LEGACY_DOCKER_HOSTS:  # host names are case-insensitive: `Index.Docker.io`
        registry = DEFAULT_REGISTRY
    if registry == DEFAULT_REGISTRY and "/" not in path:
        path = f"library/{path}"
    return ImageRef(registry, path, None, None, spelling=name)


def parse(text: str) -> ImageRef:
    """Parse `name[:tag][@digest]`; raises InvalidReference with a clear reason."""
    text = text.strip()
    if not text:
        raise InvalidReference("empty image reference")
    rest, at, digest = text.partition("@")
    if at and not valid_digest(digest):
        raise InvalidReference(f"invalid digest {digest!r} in {text!r}")
    name, tag = rest, None
    colon = rest.rfind(":")
    if colon > rest.rfind("/"):
        name, tag = rest[:colon], rest[colon + 1 :]
        if not valid_tag(tag):
            raise InvalidReference(f"invalid tag {tag!r} in {text!r}")
    ref = parse_name(name)
    return ImageRef(ref.registry, ref.repository, tag, digest or None, spelling=name)


def try_parse(text: str) -> ImageRef | None:
    """Parse like `parse`, returning None instead of raising."""
    try:
        return parse(text)
    except InvalidReference:
        return None


def format_ref(spelling: str, tag: str | None, digest: str | None) -> str:
    """Write a reference back in the user's spelling with a new tag and digest."""
    text = spelling
    if tag:
        text += f":{tag}"
    if digest:
        text += f"@{digest}"
    return text
