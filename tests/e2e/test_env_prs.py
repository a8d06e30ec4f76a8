"""Per-environment proposals on the fake forges: prod always through review on its own
`tagbot/prod/<image>` branch, titled with the environment, the path in the body; idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tagbot.pipeline.changes import slug
from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import ENVIRONMENTS, Repo, ago, fake_forge, forge_git, moved
from tests.fakeforge import FakeGitHub, FakeGitLab
from tests.provider.helpers import seen

pytestmark = pytest.mark.integration
TOKEN = "forge-token-for-envs-1234"


@pytest.fixture(params=["github", "gitlab"])
def forge(
    request: pytest.FixtureRequest, make_world: MakeWorld
) -> Iterator[tuple[Repo, FakeGitHub | FakeGitLab]]:
    world = make_world(images=False)
    world.push_tags("api", "1.4.0", "1.4.1")
    world.push_tags("web", "2.0.0", "2.0.1")
    with fake_forge(world, request.param, TOKEN) as fake:
        yield Repo(world), fake


def test_prod_proposes_on_its_own_branch_and_reruns_change_nothing(
    forge: tuple[Repo, FakeGitHub | FakeGitLab], tmp_path: Path
) -> None:
    repo, fake = forge
    git = forge_git(fake, pr_body="From the nightly job.")
    envs = [*ENVIRONMENTS[:2], {**ENVIRONMENTS[2], "mode": "pull-request"}]
    start = {"api": "1.4.0", "web": "2.0.0"}
    repo.start({env: start for env in ("dev", "staging", "prod")}, ago(days=10), git=git,
               environments=envs)  # fmt: skip
    repo.set("dev", {"api": "1.4.1", "web": "2.0.0"}, ago(days=5))
    repo.set("staging", {"api": "1.4.1", "web": "2.0.0"}, ago(days=4))
    env = {"FORGE_TOKEN": TOKEN}

    first = repo.tagbot(tmp_path, "run", env=env)

    assert moved(first) == [("dev", "web", "2.0.0", "2.0.1"), ("prod", "api", "1.4.0", "1.4.1")]
    api, web = repo.world.image("api"), repo.world.image("web")
    # dev follows git.mode (push); prod always proposes.
    assert repo.log()[0] == f"chore(deps): update {web} to 2.0.1 in dev"
    assert 'newTag: "1.4.0"' in repo.read("prod")
    [pr] = [p for p in seen(fake) if p.open]
    assert pr.head == f"tagbot/prod/{slug(api)}"
    assert pr.title == f"chore(deps): promote {api} to 1.4.1 in prod"
    assert pr.body.startswith(
        "From the nightly job.\n\nEnvironment **prod**: promoted from **staging** after a soak "
        f"of 3d (each image's promotion path is under Why).\n\n### `{api}` `1.4.0` → `1.4.1` (patch)\n\n"
    )
    assert "\nWhy: promoted from staging, soak 3d: dev 1.4.1 since " in pr.body
    assert ", staging 1.4.1 since " in pr.body
    assert 'newTag: "1.4.1"' in repo.world.remote.read(pr.head, "overlays/prod/kustomization.yaml")

    before, refs = seen(fake), repo.world.remote.refs()
    again = repo.tagbot(tmp_path, "run", env=env)
    assert moved(again) == [("prod", "api", "1.4.0", "1.4.1")]
    assert [p["changed"] for p in again["proposals"]] == [False]
    assert seen(fake) == before and repo.world.remote.refs() == refs
