"""Environments at their edges, end to end as a platform engineer meets them: a holds file
broken by hand, history that arrives through merges, holds that outlive a later hand edit,
rollbacks to tags the registry does not have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import Repo, ago

pytestmark = pytest.mark.integration


@pytest.fixture
def repo(make_world: MakeWorld) -> Repo:
    world = make_world(images=False)
    world.push_tags("api", "1.4.0", "1.4.1", "1.10.0")
    return Repo(world)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("holds:\n  - image: {api}\n    environment: dev\n   tag: [\n", ":4: not YAML: "),
        ("holds:\n  - image: {api}\n    environment: dev\n", ":2: holds[0]: needs tag"),
        (
            "holds:\n  - image: {api}\n    environment: dev\n    tag: 1.10\n",
            ":4: holds[0]: tag must be a string: quote it",
        ),
    ],
    ids=["not-yaml", "no-tag", "unquoted-tag"],
)
def test_a_holds_file_broken_by_hand_stops_the_run(
    repo: Repo, tmp_path: Path, text: str, error: str
) -> None:
    """A hold a person meant must not be lost while the rest publishes: exit 2, the line."""
    repo.start({"dev": {"api": "1.4.0"}}, ago(days=3))
    holds = text.format(api=repo.world.image("api"))
    repo.world.remote.commit({".tagbot/holds.yaml": holds}, "hold by hand", when=ago(days=1))
    before = repo.log()

    checkout = repo.world.clone(tmp_path / "checkout")
    for command in ("plan", "run"):
        result = repo.world.tagbot(command, "--json", "--config", "tagbot.yaml", cwd=checkout)
        assert result.code == 2, result.err
        message = json.loads(result.out)["error"]["message"]
        assert message.startswith(".tagbot/holds.yaml" + error), message
    assert repo.log() == before
