"""Tests for tagbot/scanner/registry.py: what each host gets (limits, breaker) from its options."""

from __future__ import annotations

import pytest

from tagbot.models import RegistryOptions
from tagbot.scanner.client import Retry, Transport
from tagbot.scanner.registry import Registry

HOSTS = [
    pytest.param("127.0.0.1:5000", id="ipv4-loopback"),
    pytest.param("localhost:5001", id="localhost"),
    pytest.param("ghcr.io", id="remote"),
    pytest.param("docker.io", id="docker-hub"),
]


@pytest.mark.parametrize("host", HOSTS)
def test_no_fixed_rate_by_default_anywhere(host: str) -> None:
    registry = Registry(host, RegistryOptions(), Transport(Retry()), {})
    assert registry.site.limiter is None
    assert registry.site.window.ceiling == 16
    assert registry.site.breaker.threshold == 3


@pytest.mark.parametrize("host", HOSTS)
def test_a_configured_rate_applies_to_every_host_loopback_included(host: str) -> None:
    options = RegistryOptions(requests_per_second=5, concurrency=2, breaker=1)
    registry = Registry(host, options, Transport(Retry()), {})
    assert registry.site.limiter is not None and registry.site.limiter.rate == 5
    assert registry.site.window.ceiling == 2
    assert registry.site.breaker.threshold == 1
