"""An open promotion PR whose source environment rolled the tag back, on the fake GitHub: the
next run must not leave prod a proposal of the version staging just backed out of."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import ENVIRONMENTS, Repo, ago, forge_git, moved, stages
from tests.fakeforge import FakeGitHub
from tests.provider.helpers import seen

pytestmark = pytest.mark.integration
TOKEN = "forge-token-for-source-1234"


@pytest.fixture
def forge(make_world: MakeWorld) -> Iterator[tuple[Repo, FakeGitHub]]:
    world = make_world(images=False)
    world.push_tags("api", "1.4.0", "1.4.1")
    with FakeGitHub(world.remote, token=TOKEN) as fake:
        yield Repo(world), fake


def test_a_rollback_in_the_source_closes_the_open_promotion(
    forge: tuple[Repo, FakeGitHub], tmp_path: Path
) -> None:
    repo, fake = forge
    git = forge_git(fake)
    envs = [*ENVIRONMENTS[:2], {**ENVIRONMENTS[2], "soak": "1h", "mode": "pull-request"}]
    repo.start({e: {"api": "1.4.0"} for e in ("dev", "staging", "prod")}, ago(days=10), git=git,
               environments=envs)  # fmt: skip
    repo.set("dev", {"api": "1.4.1"}, ago(days=5))
    repo.set("staging", {"api": "1.4.1"}, ago(days=4))
    env = {"FORGE_TOKEN": TOKEN}
    assert moved(repo.tagbot(tmp_path, "run", env=env)) == [("prod", "api", "1.4.0", "1.4.1")]
    [pr] = seen(fake)
    assert pr.open

    # 1.4.1 breaks staging: Alice rolls staging back. prod's open PR still proposes 1.4.1.
    sha = repo.set("staging", {"api": "1.4.0"}, ago(hours=1), author="Alice")

    after = repo.tagbot(tmp_path, "run", env=env)

    [pr] = seen(fake)
    assert not pr.open, "prod keeps an open proposal of the tag staging rolled back"
    assert pr.comments[0].startswith(
        f"Closed by tagbot: `{repo.world.image('api')}` is held in **staging** at `1.4.1` "
        f"(rolled back from 1.4.1 by Alice in {sha[:7]}). tagbot does not promote `1.4.1` to prod, "
    )
    assert f"closed #{pr.number} proposing 1.4.1" in stages(after)["api", "prod"]["note"]
