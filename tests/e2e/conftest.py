"""Fixtures for the end-to-end runs: a real registry, a seeded namespace, a bare config remote."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.world import TAGS, World, cli_env, seed_remote
from tests.fakeforge import isolated_git_env
from tests.support.fixtures import registry_anonymous  # noqa: F401
from tests.support.registry import RegistryServer

_counter = itertools.count()
MakeWorld = Callable[..., World]


@pytest.fixture(autouse=True)
def git_isolation(monkeypatch: pytest.MonkeyPatch) -> None:
    """The git the tests run themselves ignores the machine's config too."""
    for name, value in isolated_git_env().items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def make_world(registry_anonymous: RegistryServer, tmp_path: Path) -> MakeWorld:  # noqa: F811
    """Build a world: this test's images in the registry, a remote whose tagbot.yaml has
    `git_section`; `name` keeps two worlds of one test apart; `images=False` pushes none."""

    def make(
        git_section: dict[str, Any] | None = None, name: str = "w", *, images: bool = True
    ) -> World:
        ns = f"e2e/n{next(_counter)}"
        home = tmp_path / f"{name}-home"
        home.mkdir()
        reg = f"{registry_anonymous.host}/{ns}"
        remote = seed_remote(tmp_path / f"{name}-remote.git", reg, git_section)
        world = World(registry_anonymous, ns, remote, home, cli_env(home))
        for image, tags in TAGS.items() if images else ():
            world.push_tags(image, *tags)
        return world

    return make


@pytest.fixture
def world(make_world: MakeWorld) -> World:
    """A push-mode world (provider git)."""
    return make_world()


@pytest.fixture
def checkout(world: World, tmp_path: Path) -> Path:
    """A clone of the world's remote, where a CI job would run tagbot."""
    return world.clone(tmp_path / "checkout")
