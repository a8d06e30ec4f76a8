"""Environments at their edges, end to end as a platform engineer meets them: a holds file
broken by hand, history that arrives through merges, holds that outlive a later hand edit,
rollbacks to tags the registry does not have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import Repo, Versions, ago, moved, overlay, overlay_text, stages
from tests.e2e.test_promotion import digest_of
from tests.fakeforge.gitrepo import git

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


def merge_old_branch(repo: Repo, tmp_path: Path, env: str, versions: Versions) -> None:
    """A branch commit from 5 days ago that sets `env` to `versions`, merged into main (a merge
    commit, as a forge's merge button makes) 1 hour ago."""
    work = repo.world.clone(tmp_path / "merging")
    git("checkout", "--quiet", "-b", "feature", cwd=work)
    (work / overlay(env)).write_text(overlay_text(repo.world.reg, env, versions))
    old, now = ago(days=5).isoformat(), ago(hours=1).isoformat()
    git("commit", "--quiet", "-am", "bump", cwd=work, env=dated(old))
    git("checkout", "--quiet", "main", cwd=work)
    git("merge", "--quiet", "--no-ff", "-m", "Merge feature", "feature", cwd=work, env=dated(now))
    git("push", "--quiet", "origin", "main", cwd=work)


def dated(when: str) -> dict[str, str]:
    return {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}


def test_soak_starts_when_a_merge_lands_not_when_the_branch_commit_was_made(
    repo: Repo, tmp_path: Path
) -> None:
    repo.start({env: {"api": "1.4.0"} for env in ("dev", "staging")}, ago(days=10))
    merge_old_branch(repo, tmp_path, "dev", {"api": "1.4.1"})

    plan = repo.tagbot(tmp_path, "plan")

    assert [u for u in moved(plan) if u[0] == "staging"] == []
    staging = stages(plan)["api", "staging"]
    assert staging["note"] == "1.4.1 eligible in 23 h (soak 24h in dev)"
    assert stages(plan)["api", "dev"]["since"] == ago(hours=1).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_a_hold_outlives_a_later_hand_edit_below_the_held_tag(repo: Repo, tmp_path: Path) -> None:
    """Alice rolls dev back from 3.1.0 and then hot-fixes 3.0.1 by hand: 3.1.0 stays held."""
    repo.world.push_tags("job", "3.0.0", "3.0.1", "3.1.0")
    repo.start({"dev": {"job": "3.0.0"}}, ago(days=10))
    repo.set("dev", {"job": "3.1.0"}, ago(days=7), author="tagbot")
    sha = repo.set("dev", {"job": "3.0.0"}, ago(days=4))
    repo.set("dev", {"job": "3.0.1"}, ago(days=2))

    plan = repo.tagbot(tmp_path, "plan")

    assert moved(plan) == []
    note = stages(plan)["job", "dev"]["note"]
    assert note.startswith(f"3.1.0 held: rolled back from 3.1.0 by Alice in {sha[:7]}"), note

    # Once dev runs past the held tag the old rollback no longer matters.
    repo.world.push_tags("job", "3.2.0")
    assert moved(repo.tagbot(tmp_path, "plan")) == [("dev", "job", "3.0.1", "3.2.0")]


@pytest.mark.parametrize(
    ("to", "error"),
    [
        ("1.3.9", "no tag 1.3.9 in the registry"),
        ("1.10.0", "1.10.0 is not older than 1.4.1 (a rollback never moves forward; promote)"),
    ],
    ids=["not-in-registry", "forward"],
)
def test_rollback_to_a_tag_it_cannot_roll_back_to_changes_nothing(
    repo: Repo, tmp_path: Path, to: str, error: str
) -> None:
    repo.start({env: {"api": "1.4.1"} for env in ("dev", "prod")}, ago(days=10))
    api = repo.world.image("api")
    before = repo.log()

    back = repo.tagbot(tmp_path, "rollback", api, "--env", "prod", "--to", to)

    assert back["updates"] == []
    assert back["problems"] == [
        {"where": "overlays/prod/kustomization.yaml:6", "error": error, "transient": False}
    ]
    assert repo.log() == before


def test_rollback_to_a_tag_keeps_the_pin_with_the_registry_digest(
    repo: Repo, tmp_path: Path
) -> None:
    """A digest-pinned prod rolled back to a tag git never showed there stays pinned."""
    digest = digest_of(repo, "api", "1.4.0")
    pinned = {"api": "1.4.1@" + digest_of(repo, "api", "1.4.1")}
    repo.start({"dev": {"api": "1.4.1"}, "prod": pinned}, ago(days=10))

    back = repo.tagbot(
        tmp_path, "rollback", repo.world.image("api"), "--env", "prod", "--to", "1.4.0"
    )

    assert [(u["to"], u["digest"]) for u in back["updates"]] == [("1.4.0", digest)]
    assert f"digest: {digest}" in repo.read("prod")


def test_switching_a_values_file_to_another_image_is_no_rollback(
    repo: Repo, tmp_path: Path
) -> None:
    """dev moves from valkey 8.0.0 to redis 7.0.0 (the tag line alone changes in its hunk):
    redis is not held at 8.0.0, it follows its own tags."""
    repo.world.push_tags("redis", "7.0.0", "7.2.0")
    repo.world.push_tags("valkey", "8.0.0")
    repo.start({"dev": {}}, ago(days=10))
    values = "image:\n  repository: {reg}/{image}\n  pullPolicy: IfNotPresent\n  tag: {tag}\n"
    path = "overlays/dev/values.yaml"
    text = values.format(reg=repo.world.reg, image="valkey", tag="8.0.0")
    repo.world.remote.commit({path: text}, "valkey", when=ago(days=9))
    text = values.format(reg=repo.world.reg, image="redis", tag="7.0.0")
    repo.world.remote.commit({path: text}, "back to redis", when=ago(days=3))

    plan = repo.tagbot(tmp_path, "plan")

    assert moved(plan) == [("dev", "redis", "7.0.0", "7.2.0")]


def test_soak_counts_from_the_digest_when_only_the_digest_changed(
    repo: Repo, tmp_path: Path
) -> None:
    """dev pins 1.4.1 by digest for 10 days, then the tag is rebuilt and dev pins the new digest
    an hour ago: the image staging would get has run in dev for an hour, not 10 days."""
    old = digest_of(repo, "api", "1.4.1")
    with repo.world.registry.seeder() as seeder:
        new = seeder.push_image(f"{repo.world.ns}/api", "1.4.1", label="rebuilt").digest
    repo.start({"dev": {"api": f"1.4.1@{old}"}, "staging": {"api": "1.4.0"}}, ago(days=10))
    repo.set("dev", {"api": f"1.4.1@{new}"}, ago(hours=1))

    plan = repo.tagbot(tmp_path, "plan")

    assert [u for u in moved(plan) if u[0] == "staging"] == []
    assert stages(plan)["api", "staging"]["note"] == "1.4.1 eligible in 23 h (soak 24h in dev)"


def test_a_second_rollback_goes_further_back_not_to_the_tag_the_first_left(
    repo: Repo, tmp_path: Path
) -> None:
    repo.world.push_tags("job", "3.0.0", "3.1.0", "3.2.0")
    repo.start({"dev": {"job": "3.0.0"}, "prod": {"job": "3.0.0"}}, ago(days=10))
    repo.set("prod", {"job": "3.1.0"}, ago(days=8), author="tagbot")
    repo.set("prod", {"job": "3.2.0"}, ago(days=6), author="tagbot")
    job = repo.world.image("job")

    first = repo.tagbot(tmp_path, "rollback", job, "--env", "prod")
    second = repo.tagbot(tmp_path, "rollback", job, "--env", "prod")

    assert moved(first) == [("prod", "job", "3.2.0", "3.1.0")]
    assert moved(second) == [("prod", "job", "3.1.0", "3.0.0")]
