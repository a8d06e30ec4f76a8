"""Tests for tagbot/scanner/registry.py: which hosts get a request rate limit."""

from __future__ import annotations

import pytest

from tagbot.models import RegistryOptions
from tagbot.scanner.registry import request_rate

RATES = [
    pytest.param("127.0.0.1:5000", 0.0, id="ipv4-loopback"),
    pytest.param("127.3.2.1", 0.0, id="loopback-network"),
    pytest.param("localhost:5001", 0.0, id="localhost"),
    pytest.param("[::1]:5000", 0.0, id="ipv6-loopback"),
    pytest.param("ghcr.io", 20.0, id="remote"),
    pytest.param("docker.io", 20.0, id="docker-hub"),
    pytest.param("10.0.0.5:5000", 20.0, id="private-network-is-shared"),
    pytest.param("localhost.example.com", 20.0, id="not-localhost"),
]


@pytest.mark.parametrize(("registry", "rate"), RATES)
def test_only_loopback_registries_are_unlimited(registry: str, rate: float) -> None:
    assert request_rate(registry, RegistryOptions()) == rate


def test_a_configured_rate_applies_to_remote_hosts() -> None:
    options = RegistryOptions(host="*", requests_per_second=5)
    assert request_rate("registry.example.com", options) == 5
    assert request_rate("127.0.0.1:5000", options) == 0
