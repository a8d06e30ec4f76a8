"""Which options and base URL serve a registry host."""

from __future__ import annotations

import pytest

from tagbot.models import RegistryOptions
from tagbot.scanner import hosts

INSECURE = RegistryOptions(insecure=True)
WITH_CA = RegistryOptions(ca_bundle="/etc/ca.pem")


@pytest.mark.parametrize(
    ("registry", "options", "expected"),
    [
        ("docker.io", RegistryOptions(), "https://registry-1.docker.io"),
        ("ghcr.io", RegistryOptions(), "https://ghcr.io"),
        ("registry.example.com:5000", RegistryOptions(), "https://registry.example.com:5000"),
        ("registry.example.com:5000", INSECURE, "http://registry.example.com:5000"),
        ("localhost:5000", RegistryOptions(), "http://localhost:5000"),
        ("localhost", RegistryOptions(), "http://localhost"),
        ("127.0.0.1:5000", RegistryOptions(), "http://127.0.0.1:5000"),
        ("127.1.2.3:80", RegistryOptions(), "http://127.1.2.3:80"),
        ("[::1]:5000", RegistryOptions(), "http://[::1]:5000"),
        ("127.0.0.1:5000", WITH_CA, "https://127.0.0.1:5000"),
        ("128.0.0.1:5000", RegistryOptions(), "https://128.0.0.1:5000"),
        ("localhost.example.com", RegistryOptions(), "https://localhost.example.com"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_base_url(registry: str, options: RegistryOptions, expected: str) -> None:
    assert hosts.base_url(registry, options) == expected


CONFIGURED = [
    RegistryOptions(host="*.example.com", requests_per_second=1),
    RegistryOptions(host="registry.example.com", requests_per_second=2),
    RegistryOptions(host="ghcr.io", token_env="GHCR_TOKEN"),
    RegistryOptions(host="127.0.0.1:*", page_cap=3),
]


@pytest.mark.parametrize(
    ("registry", "index"),
    [
        ("registry.example.com", 0),  # the first match wins, not the most specific
        ("a.b.example.com", 0),
        ("GHCR.IO", 2),
        ("127.0.0.1:5000", 3),
        ("quay.io", None),
        ("example.com", None),
    ],
)
def test_options_for_first_match_wins(registry: str, index: int | None) -> None:
    expected = CONFIGURED[index] if index is not None else RegistryOptions()
    assert hosts.options_for(registry, CONFIGURED) == expected


@pytest.mark.parametrize(
    ("key", "host"),
    [
        ("https://index.docker.io/v1/", "docker.io"),
        ("index.docker.io", "docker.io"),
        ("registry-1.docker.io", "docker.io"),
        ("docker.io", "docker.io"),
        ("https://ghcr.io", "ghcr.io"),
        ("http://localhost:5000/v2/", "localhost:5000"),
        ("Registry.Example.com", "registry.example.com"),
    ],
)
def test_config_key_host(key: str, host: str) -> None:
    assert hosts.config_key_host(key) == host


def test_docker_hub_credentials_live_under_the_v1_url() -> None:
    assert hosts.auth_key("docker.io") == "https://index.docker.io/v1/"
    assert hosts.auth_key("ghcr.io") == "ghcr.io"
