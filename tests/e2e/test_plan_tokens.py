"""`tagbot plan` against the registry in token mode: tokens asked for many repositories at once
pick the same tags as one token per repository."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from tests.e2e.world import EXPECTED, TAGS, World, cli_env, seed_remote
from tests.support.fixtures import registry_token, token_server  # noqa: F401
from tests.support.registry import RegistryServer
from tests.support.tokenserver import TokenServer

pytestmark = pytest.mark.integration
_counter = itertools.count()


def _plan(
    world: World, tmp_path: Path, server: TokenServer, batch: int | None
) -> tuple[list, list]:
    """The updates of one `tagbot plan --json` run, and the token requests it made."""
    checkout = world.clone(tmp_path / f"checkout-{batch}")
    if batch is not None:
        with (checkout / "tagbot.yaml").open("a") as config:
            config.write(f'registries:\n  - host: "{world.registry.host}"\n')
            config.write(f"    token_batch: {batch}\n")
    before = len(server.issued)
    result = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    assert result.code == 0, result.err
    data = result.json()
    assert data["problems"] == []
    return data["updates"], [i for i in server.issued[before:] if i.user is None]


def test_plan_picks_the_same_tags_with_one_token_for_all_images(
    registry_token: RegistryServer,  # noqa: F811
    token_server: TokenServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    ns = f"e2e/tok{next(_counter)}"
    home = tmp_path / "home"
    home.mkdir()
    reg = f"{registry_token.host}/{ns}"
    world = World(
        registry_token, ns, seed_remote(tmp_path / "remote.git", reg), home, cli_env(home)
    )
    for image, tags in TAGS.items():
        world.push_tags(image, *tags)

    batched, batched_tokens = _plan(world, tmp_path, token_server, None)
    alone, alone_tokens = _plan(world, tmp_path, token_server, 1)

    got = sorted((u["file"], u["image"], u["from"], u["to"]) for u in batched)
    assert got == sorted((f, world.image(i), a, b) for f, i, a, b in EXPECTED)
    assert batched == alone  # the same updates, reasons and lines
    scopes = sorted(f"repository:{ns}/{image}:pull" for image in TAGS)
    # Anonymous, read only, each repository asked for once. How many requests that takes
    # depends on timing: plan lists an image as soon as a file names it, so a batch may leave
    # before the next file is read (tests/scanner/test_batches.py counts batches exactly).
    asked = sorted(scope for i in batched_tokens for scope in i.asked)
    assert asked == scopes
    assert 1 <= len(batched_tokens) <= len(scopes)
    assert sorted(i.asked for i in alone_tokens) == [(s,) for s in scopes]
