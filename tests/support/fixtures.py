"""Pytest fixtures for real registries; import them into a conftest.py to use them.

    from tests.support.fixtures import registry_anonymous, registry_token  # noqa: F401

Registries are session-scoped (one process per mode per test session); every test seeds its own
repository, named by the `repo_name` fixture, so tests never see each other's images.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.registry import RegistryServer
from tests.support.tokenserver import TokenServer

_counter = itertools.count()


@pytest.fixture(scope="session")
def registry_anonymous() -> Iterator[RegistryServer]:
    """A registry that needs no login."""
    with RegistryServer("anonymous") as server:
        yield server


@pytest.fixture(scope="session")
def registry_htpasswd() -> Iterator[RegistryServer]:
    """A registry that wants Basic auth (users in `server.users`)."""
    with RegistryServer("htpasswd") as server:
        yield server


@pytest.fixture(scope="session")
def registry_token() -> Iterator[RegistryServer]:
    """A registry that sends clients to a token server (`server.token_server`)."""
    with RegistryServer("token") as server:
        yield server


@pytest.fixture
def token_server(registry_token: RegistryServer) -> Iterator[TokenServer]:
    """The token registry's token server; settings a test changes are restored afterwards."""
    server = registry_token.token_server
    assert server is not None
    saved = (server.expires_in, server.expired_next, server.anonymous_pull, set(server.denied))
    modes = (server.grants, server.opaque, server.max_scopes)
    yield server
    server.expires_in, server.expired_next, server.anonymous_pull, server.denied = saved
    server.grants, server.opaque, server.max_scopes = modes


@pytest.fixture
def repo_name(request: pytest.FixtureRequest) -> str:
    """A repository name no other test uses, derived from the test's name."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:60].strip("-")
    return f"t/{slug}-{next(_counter)}"


@pytest.fixture
def clean_env(tmp_path: Path) -> dict[str, str]:
    """An environment without the developer's docker config or CI tokens (HOME is empty)."""
    home = tmp_path / "home"
    home.mkdir()
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(home)}
