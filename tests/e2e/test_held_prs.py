"""A promotion PR/MR a rollback overtook, on the fake forges: the next run closes it with a
comment naming the hold and how to release it; later runs leave it closed; a newer tag opens a
fresh one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tagbot.pipeline.changes import slug
from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import ENVIRONMENTS, Repo, ago, fake_forge, forge_git, moved, stages
from tests.fakeforge import FakeGitHub, FakeGitLab
from tests.provider.helpers import seen

pytestmark = pytest.mark.integration
TOKEN = "forge-token-for-holds-5678"


@pytest.fixture(params=["github", "gitlab"])
def forge(
    request: pytest.FixtureRequest, make_world: MakeWorld
) -> Iterator[tuple[Repo, FakeGitHub | FakeGitLab]]:
    world = make_world(images=False)
    world.push_tags("api", "1.4.0", "1.4.1")
    with fake_forge(world, request.param, TOKEN) as fake:
        yield Repo(world), fake


def test_a_rollback_closes_the_open_promotion_and_a_newer_tag_reopens(
    forge: tuple[Repo, FakeGitHub | FakeGitLab], tmp_path: Path
) -> None:
    repo, fake = forge
    git = forge_git(fake)
    envs = [*ENVIRONMENTS[:2], {**ENVIRONMENTS[2], "soak": "1h", "mode": "pull-request"}]
    repo.start({e: {"api": "1.4.0"} for e in ("dev", "staging", "prod")}, ago(days=10), git=git,
               environments=envs)  # fmt: skip
    repo.set("dev", {"api": "1.4.1"}, ago(days=5))
    repo.set("staging", {"api": "1.4.1"}, ago(days=4))
    env = {"FORGE_TOKEN": TOKEN}
    api = repo.world.image("api")
    branch = f"tagbot/prod/{slug(api)}"

    opened = repo.tagbot(tmp_path, "run", env=env)
    assert moved(opened) == [("prod", "api", "1.4.0", "1.4.1")]
    [pr] = seen(fake)
    assert (pr.head, pr.open) == (branch, True)

    # Bob puts 1.4.1 in prod by hand, it breaks, Alice rolls prod back: 1.4.1 is held there.
    repo.set("prod", {"api": "1.4.1"}, ago(hours=3), author="Bob")
    sha = repo.set("prod", {"api": "1.4.0"}, ago(hours=2), author="Alice")

    closing = repo.tagbot(tmp_path, "run", env=env)

    assert moved(closing) == [] and closing["problems"] == []
    [pr] = seen(fake)
    assert not pr.open
    why = f"rolled back from 1.4.1 by Alice in {sha[:7]}"
    assert pr.comments == (
        f"Closed by tagbot: `{api}` is held in **prod** at `1.4.1` ({why}). tagbot proposes "
        "neither `1.4.1` nor anything older there, so this proposal of `1.4.1` should not be "
        f"merged. A newer tag opens a new proposal; to lift the hold, run `tagbot release {api} "
        "--env prod` (a reviewed change to `.tagbot/holds.yaml`).",
    )
    held = f"1.4.1 held: {why} (`tagbot release {api} --env prod`)"
    assert (
        stages(closing)["api", "prod"]["note"]
        == f"{held}; closed #{pr.number} proposing 1.4.1: held"
    )

    # Idempotent: the closed proposal stays closed, uncommented; nothing is pushed.
    before, refs = seen(fake), repo.world.remote.refs()
    again = repo.tagbot(tmp_path, "run", env=env)
    assert stages(again)["api", "prod"]["note"] == held
    assert seen(fake) == before and repo.world.remote.refs() == refs

    # A newer tag soaks in staging: a fresh proposal on the same branch; the old one stays closed.
    repo.world.push_tags("api", "1.4.2")
    repo.set("staging", {"api": "1.4.2"}, ago(hours=1, minutes=30))
    fresh = repo.tagbot(tmp_path, "run", env=env)
    assert ("prod", "api", "1.4.0", "1.4.2") in moved(fresh)
    old, new = seen(fake)
    assert old == before[0]
    assert (new.head, new.open, new.title) == (
        branch,
        True,
        f"chore(deps): promote {api} to 1.4.2 in prod",
    )
    assert 'newTag: "1.4.2"' in repo.world.remote.read(branch, "overlays/prod/kustomization.yaml")
