"""Environments over `repositories:`, end to end: two bare remotes with their own dated history,
one registry; each repository promotes after its own soak and keeps its own holds, every image
is listed once; `promote` covers every repository, `rollback` / `release` name one."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tagbot.pipeline.changes import slug
from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import Repo, ago, config, moved, stages
from tests.fakeforge import BareRepo
from tests.pipeline.test_many import requests_logged

pytestmark = pytest.mark.integration
START = {"api": "1.4.0", "web": "2.0.0", "job": "3.0.0"}


def since(when: datetime) -> str:
    return f"{when:%Y-%m-%d %H:%M} UTC"


@pytest.fixture
def fleet(make_world: MakeWorld, tmp_path: Path) -> tuple[Repo, Repo, Path]:
    """Two config repos, eu and us, and a tagbot.yaml naming both."""
    world = make_world(images=False)
    world.push_tags("api", "1.4.0", "1.4.1")
    world.push_tags("web", "2.0.0", "2.0.1")
    world.push_tags("job", "3.0.0", "3.1.0")
    eu, us = (Repo(replace(world, remote=BareRepo(tmp_path / f"{n}.git"))) for n in ("eu", "us"))
    for repo in (eu, us):
        repo.start({env: START for env in ("dev", "staging", "prod")}, ago(days=10))
    data = json.loads(config(world.reg))
    data["repositories"] = [{"repository": r.world.remote.url} for r in (eu, us)]
    path = tmp_path / "tagbot.yaml"
    path.write_text(json.dumps(data))
    return eu, us, path


def tagbot(repo: Repo, path: Path, *args: str, code: int = 0) -> Any:
    """Run tagbot with the fleet's config; its JSON output (`--log-format json` on stderr)."""
    result = repo.world.tagbot(
        "--log-format", "json", *args, "--json", "-c", str(path), cwd=path.parent
    )
    assert result.code == code, result.out + result.err
    return result


def test_each_repository_soaks_and_holds_on_its_own_history(
    fleet: tuple[Repo, Repo, Path],
) -> None:
    eu, us, path = fleet
    data = json.loads(path.read_text())
    data["environments"][2]["mode"] = "pull-request"  # prod through review; the rest pushed
    path.write_text(json.dumps(data))
    # eu: web reached staging 4 d ago (prod may take it), api and job reached dev 2 d ago.
    # us: api 30 h ago, job 10 h ago (staging waits), and Alice rolled web back from 2.0.1 in
    # dev: a hold in us only.
    eu.set("staging", {**START, "web": "2.0.1"}, ago(days=4))
    eu.set("dev", {**START, "api": "1.4.1", "job": "3.1.0"}, ago(days=2))
    us.set("dev", {**START, "api": "1.4.1"}, ago(hours=30))
    us.set("dev", {**START, "api": "1.4.1", "web": "2.0.1"}, ago(hours=20), author="tagbot")
    rollback = us.set("dev", {**START, "api": "1.4.1"}, ago(hours=12))
    us.set("dev", {**START, "api": "1.4.1", "job": "3.1.0"}, ago(hours=10))

    planned = tagbot(eu, path, "plan")

    assert requests_logged(planned.err)["tags"] == 3  # api, web, job: once for both
    doc_eu, doc_us = planned.json()["repositories"]
    assert doc_eu["repository"] == eu.world.remote.url
    assert moved(doc_eu) == [
        ("dev", "web", "2.0.0", "2.0.1"),
        ("prod", "web", "2.0.0", "2.0.1"),
        ("staging", "api", "1.4.0", "1.4.1"),
        ("staging", "job", "3.0.0", "3.1.0"),
    ]
    assert moved(doc_us) == [("staging", "api", "1.4.0", "1.4.1")]
    eu_seen, us_seen = stages(doc_eu), stages(doc_us)
    assert f"dev 1.4.1 since {since(ago(days=2))}" in eu_seen["api", "staging"]["note"]
    assert f"dev 1.4.1 since {since(ago(hours=30))}" in us_seen["api", "staging"]["note"]
    assert us_seen["job", "staging"]["note"] == "3.1.0 eligible in 14 h (soak 24h in dev)"
    held = f"2.0.1 held: rolled back from 2.0.1 by Alice in {rollback[:7]}"
    assert us_seen["web", "dev"]["note"].startswith(held)
    # The release command in the note works as pasted: it names the repository.
    web, url = us.world.image("web"), us.world.remote.url
    assert f"(`tagbot release {web} --env dev --repository {url}`)" in us_seen["web", "dev"]["note"]
    assert eu_seen["web", "dev"]["eligible"] is True
    assert doc_eu["problems"] == doc_us["problems"] == []

    ran = tagbot(eu, path, "run").json()["repositories"]
    assert [moved(r) for r in ran] == [moved(doc_eu), moved(doc_us)]
    assert 'newTag: "1.4.1"' in eu.read("staging") and 'newTag: "3.1.0"' in eu.read("staging")
    assert 'newTag: "1.4.1"' in us.read("staging") and 'newTag: "3.0.0"' in us.read("staging")
    assert 'newTag: "2.0.1"' in eu.read("dev") and 'newTag: "2.0.1"' not in us.read("dev")
    # prod's promotion is eu's own proposal branch; main's prod and us are untouched.
    branch = f"tagbot/prod/{slug(eu.world.image('web'))}"
    assert 'newTag: "2.0.1"' in eu.world.remote.read(branch, "overlays/prod/kustomization.yaml")
    assert 'newTag: "2.0.0"' in eu.read("prod")
    assert [b for b in us.world.remote.refs() if "tagbot/" in b] == []


def test_promote_covers_every_repository_and_rollback_release_name_one(
    fleet: tuple[Repo, Repo, Path],
) -> None:
    eu, us, path = fleet
    for repo in (eu, us):
        repo.set("staging", {**START, "api": "1.4.1"}, ago(hours=5))

    api = eu.world.image("api")
    promoted = tagbot(eu, path, "promote", "--from", "staging", "--to", "prod", api, "--force")

    docs = promoted.json()["repositories"]
    assert [moved(d) for d in docs] == [[("prod", "api", "1.4.0", "1.4.1")]] * 2
    assert all('newTag: "1.4.1"' in r.read("prod") for r in (eu, us))

    heads = [r.world.remote.refs() for r in (eu, us)]
    asked = tagbot(eu, path, "rollback", api, "--env", "prod", code=2)
    assert "name it with --repository NAME (one of: eu, us)" in asked.err
    assert [r.world.remote.refs() for r in (eu, us)] == heads  # nothing written
    unknown = tagbot(eu, path, "release", api, "--env", "prod", "--repository", "asia", code=2)
    assert "no repository 'asia' in the config (known: eu, us)" in unknown.err

    back = tagbot(us, path, "rollback", api, "--env", "prod", "--repository", "us")
    assert moved(back.json()) == [("prod", "api", "1.4.1", "1.4.0")]
    assert 'newTag: "1.4.0"' in us.read("prod") and 'newTag: "1.4.1"' in eu.read("prod")

    plan = tagbot(eu, path, "plan").json()["repositories"]
    assert stages(plan[1])["api", "prod"]["note"].startswith("1.4.1 held: rolled back from 1.4.1")
    assert stages(plan[0])["api", "prod"]["note"] == "runs what staging runs"

    url = us.world.remote.url
    released = tagbot(us, path, "release", api, "--env", "prod", "--repository", url)
    assert released.json()["problems"] == []
    assert us.log()[0] == f"chore(deps): release the hold on {api} in prod"
    assert eu.log()[0] == f"chore(deps): promote {api} to 1.4.1 in prod"
    after = tagbot(eu, path, "plan").json()["repositories"]
    assert stages(after[1])["api", "prod"]["note"].startswith("1.4.1 eligible in ")  # soak 3d
    again = tagbot(us, path, "promote", "--from", "staging", "--to", "prod", "--force",
                   "--repository", "us")  # fmt: skip
    assert moved(again.json()) == [("prod", "api", "1.4.0", "1.4.1")]  # one repository's report
