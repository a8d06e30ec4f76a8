"""`tagbot run` as a GitHub App with verified commits, end to end through the CLI: the fake
GitHub checks the App's JWT, mints installation tokens and makes every commit through GraphQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.pipeline.changes import slug
from tests.e2e.conftest import MakeWorld
from tests.e2e.world import EXPECTED, config_text
from tests.fakeforge import FakeGitHub
from tests.fakeforge.githubapp import App, AppKey
from tests.provider.helpers import seen

pytestmark = pytest.mark.integration
APP_ID = 31337


@pytest.mark.parametrize("mode", ["pull-request", "push"])
def test_an_app_run_with_commits_via_the_api(make_world: MakeWorld, tmp_path: Path, mode: str):
    key = AppKey.generate()
    app = App(APP_ID, key.public)
    section = {
        "provider": "github",
        "mode": mode,
        "project": "acme/config",
        "app_id_env": "APP_ID",
        "private_key_env": "APP_KEY",
        "commit_via": "api",
    }
    world = make_world(section)
    with FakeGitHub(world.remote, token=None, app=app) as fake:
        config = config_text(world.reg, {**section, "api_url": fake.url})
        world.remote.commit({"tagbot.yaml": config}, "point tagbot at the App")
        base, pushes = world.remote.sha("main"), world.remote.pushes()
        checkout = world.clone(tmp_path / "checkout")
        env = {"APP_ID": str(APP_ID), "APP_KEY": key.private}

        result = world.tagbot("run", "--config", "tagbot.yaml", "--json", cwd=checkout, env=env)

        assert result.code == 0, result.err
        images = sorted({name for _, name, *_ in EXPECTED})
        assert len(fake.commits.made) == len(images)  # every commit made by GitHub
        assert len(app.tokens) == 1 and app.jwts
        assert world.remote.pushes() == pushes  # nothing went through `git push`
        if mode == "push":
            assert world.remote.sha("main") == fake.commits.made[-1]
        else:
            assert world.remote.sha("main") == base
            heads = sorted(p.head for p in seen(fake))
            assert heads == sorted("tagbot/" + slug(world.image(i)) for i in images)
        for sha in fake.commits.made:
            assert world.remote.show(sha, "%an") == "tagbot[bot]"
    assert key.private not in result.out + result.err
