"""Rollbacks that stick, end to end: a human commit lowering a tag is a hold on the next run,
released by a newer tag or by `tagbot release`; `tagbot rollback` goes back through git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import Repo, ago, head_author, moved, stages

pytestmark = pytest.mark.integration


@pytest.fixture
def repo(make_world: MakeWorld) -> Repo:
    world = make_world(images=False)
    world.push_tags("api", "1.4.0", "1.4.1")
    world.push_tags("web", "2.0.0", "2.0.1")
    return Repo(world)


def rolled_back(repo: Repo) -> str:
    """History: prod got api 1.4.1 from tagbot, then Alice put 1.4.0 back; dev did the same."""
    start = {"api": "1.4.0", "web": "2.0.0"}
    repo.start({env: start for env in ("dev", "staging", "prod")}, ago(days=10))
    repo.set("dev", {"api": "1.4.1", "web": "2.0.0"}, ago(days=7), author="tagbot")
    repo.set("staging", {"api": "1.4.1", "web": "2.0.0"}, ago(days=6), author="tagbot")
    repo.set("prod", {"api": "1.4.1", "web": "2.0.0"}, ago(days=5), author="tagbot")
    repo.set("dev", {"api": "1.4.0", "web": "2.0.0"}, ago(days=4, hours=1))
    return repo.set("prod", {"api": "1.4.0", "web": "2.0.0"}, ago(days=4))


def test_a_human_rollback_holds_until_a_newer_tag_appears(repo: Repo, tmp_path: Path) -> None:
    sha = rolled_back(repo)

    plan = repo.tagbot(tmp_path, "plan")

    # web moves on in dev as usual; api is held in dev and in prod, not in staging.
    assert moved(plan) == [("dev", "web", "2.0.0", "2.0.1")]
    seen = stages(plan)
    held = f"1.4.1 held: rolled back from 1.4.1 by Alice in {sha[:7]}"
    api = repo.world.image("api")
    assert seen["api", "prod"]["note"] == f"{held} (`tagbot release {api} --env prod`)"
    assert seen["api", "prod"]["candidate"] == "1.4.1" and not seen["api", "prod"]["eligible"]
    assert seen["api", "dev"]["note"].startswith("1.4.1 held: rolled back from 1.4.1 by Alice")

    # 1.4.2 appears and reaches staging (soaked): the hold on 1.4.1 no longer stops it.
    repo.world.push_tags("api", "1.4.2")
    repo.set("staging", {"api": "1.4.2", "web": "2.0.0"}, ago(days=3, hours=12))
    after = repo.tagbot(tmp_path, "plan")
    assert moved(after) == [
        ("dev", "api", "1.4.0", "1.4.2"),
        ("dev", "web", "2.0.0", "2.0.1"),
        ("prod", "api", "1.4.0", "1.4.2"),
    ]


def test_release_lifts_the_hold_through_a_reviewed_file(repo: Repo, tmp_path: Path) -> None:
    rolled_back(repo)
    api = repo.world.image("api")

    released = repo.tagbot(tmp_path, "release", api, "--env", "prod")

    assert released["problems"] == []
    assert repo.world.remote.read("main", ".tagbot/holds.yaml").endswith(
        f'holds: []\nreleased:\n  - image: {api}\n    environment: prod\n    tag: "1.4.1"'
    )
    assert repo.log()[0] == f"chore(deps): release the hold on {api} in prod"
    plan = repo.tagbot(tmp_path, "plan")
    assert ("prod", "api", "1.4.0", "1.4.1") in moved(plan)
    assert ("dev", "api", "1.4.0", "1.4.1") not in moved(plan)  # dev's hold is its own

    again = repo.tagbot(tmp_path, "release", api, "--env", "prod")
    assert again["problems"] == [
        {"where": api, "error": "nothing holds it in environment prod", "transient": False}
    ]


def test_rollback_goes_back_through_git_and_sticks(repo: Repo, tmp_path: Path) -> None:
    start = {"api": "1.4.0", "web": "2.0.0"}
    repo.start({env: start for env in ("dev", "staging", "prod")}, ago(days=10))
    repo.set("staging", {"api": "1.4.1", "web": "2.0.0"}, ago(days=6), author="tagbot")
    assert ("prod", "api", "1.4.0", "1.4.1") in moved(repo.tagbot(tmp_path, "run"))
    api = repo.world.image("api")

    back = repo.tagbot(tmp_path, "rollback", api, "--env", "prod")

    assert moved(back) == [("prod", "api", "1.4.1", "1.4.0")]
    assert back["updates"][0]["reason"].startswith("roll back prod from 1.4.1 (set in ")
    assert 'newTag: "1.4.0"' in repo.read("prod") and 'newTag: "1.4.1"' in repo.read("staging")
    assert repo.log()[0] == f"chore(deps): roll back {api} to 1.4.0 in prod"
    assert head_author(repo.world) == "tagbot"
    plan = repo.tagbot(tmp_path, "plan")
    assert [u for u in moved(plan) if u[0] == "prod"] == []
    assert stages(plan)["api", "prod"]["note"].startswith("1.4.1 held: rolled back from 1.4.1")

    explicit = repo.tagbot(
        tmp_path, "rollback", api, "--env", "staging", "--to", "1.4.0", "--dry-run"
    )
    assert moved(explicit) == [("staging", "api", "1.4.1", "1.4.0")]
    assert 'newTag: "1.4.1"' in repo.read("staging")  # a dry run publishes nothing


def test_a_hold_written_by_hand_holds_until_released(repo: Repo, tmp_path: Path) -> None:
    start = {"api": "1.4.0", "web": "2.0.0"}
    repo.start({env: start for env in ("dev", "staging", "prod")}, ago(days=10))
    repo.set("staging", {"api": "1.4.0", "web": "2.0.1"}, ago(days=5))
    web = repo.world.image("web")
    hold = f'holds:\n  - image: {web}\n    environment: prod\n    tag: "2.0.1"\n'
    repo.world.remote.commit({".tagbot/holds.yaml": hold}, "hold web in prod", when=ago(days=1))

    plan = repo.tagbot(tmp_path, "plan")
    assert [u for u in moved(plan) if u[0] == "prod"] == []
    assert stages(plan)["web", "prod"]["note"].startswith("2.0.1 held: in .tagbot/holds.yaml")

    repo.tagbot(tmp_path, "release", web, "--env", "prod")
    assert "holds: []\nreleased: []" in repo.world.remote.read("main", ".tagbot/holds.yaml")
    assert ("prod", "web", "2.0.0", "2.0.1") in moved(repo.tagbot(tmp_path, "plan"))
