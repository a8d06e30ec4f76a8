"""Which options and which base URL serve a registry host (Docker Hub, loopback, TLS)."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from fnmatch import fnmatchcase

from tagbot.models import DEFAULT_REGISTRY, RegistryOptions

# `docker.io` is a name, not a server: the registry API lives on registry-1.docker.io.
DOCKER_HUB_API = "registry-1.docker.io"
# The key `docker login` writes for Docker Hub in config.json, and what credential helpers expect.
DOCKER_HUB_AUTH_KEY = "https://index.docker.io/v1/"
DOCKER_HUB_ALIASES = (
    "docker.io",
    "index.docker.io",
    "registry-1.docker.io",
    "registry.hub.docker.com",
)


def options_for(registry: str, registries: Sequence[RegistryOptions]) -> RegistryOptions:
    """The first entry whose host glob matches `registry` (case-insensitive), else defaults."""
    for options in registries:
        if fnmatchcase(registry.lower(), options.host.lower()):
            return options
    return RegistryOptions()


def split_port(registry: str) -> tuple[str, str | None]:
    """Split `host[:port]` (IPv6 in brackets) into host and port."""
    if registry.startswith("["):
        host, _, rest = registry[1:].partition("]")
        return host, rest.removeprefix(":") or None
    host, sep, port = registry.rpartition(":")
    return (host, port) if sep else (registry, None)


def is_loopback(registry: str) -> bool:
    """True for `localhost`, `127.0.0.0/8` and `[::1]`, with or without a port."""
    host, _ = split_port(registry)
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url(registry: str, options: RegistryOptions) -> str:
    """The scheme and authority the registry API answers on, without a trailing slash.

    Plain HTTP for `insecure: true` and, as Docker does, for loopback registries, unless a CA
    bundle is configured: a CA bundle only makes sense for TLS.
    """
    server = DOCKER_HUB_API if registry == DEFAULT_REGISTRY else registry
    plain = options.insecure or (is_loopback(registry) and options.ca_bundle is None)
    return f"{'http' if plain else 'https'}://{server}"


def auth_key(registry: str) -> str:
    """The server name credentials are stored under (Docker Hub's legacy v1 URL for docker.io)."""
    return DOCKER_HUB_AUTH_KEY if registry == DEFAULT_REGISTRY else registry


def config_key_host(key: str) -> str:
    """The host a docker config `auths` key names: drop the scheme and any path, like Docker."""
    host = key.removeprefix("https://").removeprefix("http://").split("/", 1)[0].lower()
    return DEFAULT_REGISTRY if host in DOCKER_HUB_ALIASES else host
