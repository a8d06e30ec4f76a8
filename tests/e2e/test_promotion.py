"""Promotion end to end: dev -> staging -> prod only after each soak, measured from real git
history (commits with set dates), against the real registry; digests travel with the tag."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.imageref import parse
from tagbot.scanner import Scanner
from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import Repo, ago, head_author, moved, stages
from tests.fakeforge.gitrepo import git

pytestmark = pytest.mark.integration


@pytest.fixture
def repo(make_world: MakeWorld) -> Repo:
    world = make_world(images=False)
    world.push_tags("api", "1.4.0", "1.4.1")
    world.push_tags("web", "2.0.0", "2.0.1")
    world.push_tags("job", "3.0.0", "3.1.0")
    return Repo(world)


def test_a_tag_moves_on_only_after_each_soak(repo: Repo, tmp_path: Path) -> None:
    start = {"api": "1.4.0", "web": "2.0.0", "job": "3.0.0"}
    repo.start({env: start for env in ("dev", "staging", "prod")}, ago(days=10))
    # api reached dev 5 d ago (soak 24 h: staging may take it); web reached dev 5 d ago and
    # staging 4 d ago (soak 3 d: prod may take it); job reached dev 2 h ago (staging waits).
    repo.set("dev", {"api": "1.4.1", "web": "2.0.0", "job": "3.0.0"}, ago(days=5))
    repo.set("dev", {"api": "1.4.1", "web": "2.0.1", "job": "3.0.0"}, ago(days=5))
    repo.set("staging", {"api": "1.4.0", "web": "2.0.1", "job": "3.0.0"}, ago(days=4))
    repo.set("dev", {"api": "1.4.1", "web": "2.0.1", "job": "3.1.0"}, ago(hours=2))

    plan = repo.tagbot(tmp_path, "plan")

    assert moved(plan) == [("prod", "web", "2.0.0", "2.0.1"), ("staging", "api", "1.4.0", "1.4.1")]
    seen = stages(plan)
    assert seen["job", "staging"]["note"] == "3.1.0 eligible in 22 h (soak 24h in dev)"
    assert seen["job", "staging"]["eligible"] is False
    assert seen["job", "staging"]["candidate"] == "3.1.0"
    assert seen["api", "prod"]["note"] == "runs what staging runs"
    assert seen["web", "prod"]["eligible"] is True
    assert seen["web", "prod"]["note"].startswith(
        "promoted from staging, soak 3d: dev 2.0.1 since "
    )
    assert seen["api", "dev"] == {
        "image": repo.world.image("api"), "environment": "dev", "runs": "1.4.1",
        "since": seen["api", "dev"]["since"], "candidate": None, "eligible": False,
        "eligible_at": None, "note": "",
    }  # fmt: skip

    run = repo.tagbot(tmp_path, "run")
    assert moved(run) == moved(plan)
    assert 'newTag: "1.4.1"' in repo.read("staging") and 'newTag: "2.0.1"' in repo.read("prod")
    assert head_author(repo.world) == "tagbot"

    # The next run: staging got api 1.4.1 just now, so prod waits the whole 3 d; nothing else.
    again = repo.tagbot(tmp_path, "plan")
    assert again["updates"] == []
    assert stages(again)["api", "prod"]["note"] == "1.4.1 eligible in 3 d (soak 3d in staging)"

    # People read the same, and a job summary gets the table.
    checkout = repo.world.clone(tmp_path / "console")
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    console = repo.world.tagbot("plan", "--config", "tagbot.yaml", cwd=checkout, env=env)
    api = repo.world.image("api")
    assert console.out.startswith("no updates\nenvironments:\n  dev  ")
    assert f"\n  prod  {api}  runs 1.4.0 since " in console.out
    assert " UTC  1.4.1 eligible in 3 d (soak 3d in staging)\n" in console.out
    assert f"| prod | {api} | `1.4.0` | 1.4.1 eligible in 3 d (soak 3d in staging) |" in (
        summary.read_text()
    )


def digest_of(repo: Repo, image: str, tag: str) -> str:
    """The registry's digest of a tag (HEAD with the modern Accept headers)."""
    with Scanner() as scanner:
        return scanner.get_digest(parse(repo.world.image(image) + ":" + tag), tag)


def test_a_pinned_digest_travels_and_pin_digest_resolves_one(repo: Repo, tmp_path: Path) -> None:
    old, new = digest_of(repo, "api", "1.4.0"), digest_of(repo, "api", "1.4.1")
    envs = [
        {"name": "dev", "paths": ["overlays/dev/**"]},
        {"name": "staging", "paths": ["overlays/staging/**"], "from": "dev", "soak": "24h"},
        {"name": "prod", "paths": ["overlays/prod/**"], "from": "staging", "soak": "3d",
         "pin_digest": True},
    ]  # fmt: skip
    repo.start(
        {"dev": {"api": f"1.4.0@{old}", "web": "2.0.0"},
         "staging": {"api": f"1.4.0@{old}", "web": "2.0.0"},
         "prod": {"api": "1.4.0", "web": "2.0.0"}},
        ago(days=10), environments=envs,
    )  # fmt: skip
    # dev runs 1.4.1 pinned to the digest it ran (2 d); staging runs web 2.0.1 unpinned (4 d).
    repo.set("staging", {"api": f"1.4.0@{old}", "web": "2.0.1"}, ago(days=4))
    repo.set("dev", {"api": f"1.4.1@{new}", "web": "2.0.1"}, ago(days=2))
    # The tag moves in the registry after dev ran it: the promotion still carries dev's digest.
    with repo.world.registry.seeder() as seeder:
        seeder.push_image(f"{repo.world.ns}/api", "1.4.1", label="rebuilt")
    assert digest_of(repo, "api", "1.4.1") != new

    run = repo.tagbot(tmp_path, "run")

    assert moved(run) == [("prod", "web", "2.0.0", "2.0.1"), ("staging", "api", "1.4.0", "1.4.1")]
    by_image = {u["image"].rsplit("/", 1)[-1]: u for u in run["updates"]}
    assert by_image["api"]["digest"] == new
    assert f'newTag: "1.4.1"\n    digest: {new}' in repo.read("staging")
    web = digest_of(repo, "web", "2.0.1")
    assert by_image["web"]["digest"] == web  # prod pins the digest of what staging runs
    assert f'newTag: "2.0.1"\n    digest: {web}' in repo.read("prod")


def test_promote_command_respects_soak_unless_forced(repo: Repo, tmp_path: Path) -> None:
    start = {"api": "1.4.0", "web": "2.0.0"}
    repo.start({env: start for env in ("dev", "staging", "prod")}, ago(days=10))
    repo.set("staging", {"api": "1.4.1", "web": "2.0.1"}, ago(hours=5))

    api = repo.world.image("api")
    waiting = repo.tagbot(tmp_path, "promote", "--from", "staging", "--to", "prod", api)
    assert waiting["updates"] == []
    assert [(s["image"].rsplit("/", 1)[-1], s["environment"]) for s in waiting["stages"]] == [
        ("api", "prod")
    ]
    assert waiting["stages"][0]["note"] == "1.4.1 eligible in 3 d (soak 3d in staging)"

    forced = repo.tagbot(tmp_path, "promote", "--from", "staging", "--to", "prod", api, "--force")
    assert moved(forced) == [("prod", "api", "1.4.0", "1.4.1")]  # web not named: left alone
    assert "soak skipped: --force" in forced["updates"][0]["reason"]
    assert 'newTag: "1.4.1"' in repo.read("prod") and 'newTag: "2.0.0"' in repo.read("prod")
    assert 'newTag: "1.4.0"' in repo.read("dev")  # only prod: dev is not updated by promote

    unknown = repo.tagbot(tmp_path, "promote", "--from", "staging", "--to", "prod", "nginx")
    assert unknown["problems"] == [
        {
            "where": "docker.io/library/nginx",
            "error": "no reference to it in prod",
            "transient": False,
        }
    ]


def test_promote_refuses_a_path_the_config_does_not_have(repo: Repo, tmp_path: Path) -> None:
    repo.start({env: {"api": "1.4.0"} for env in ("dev", "staging", "prod")}, ago(days=10))
    checkout = repo.world.clone(tmp_path / "c")
    result = repo.world.tagbot("promote", "--from", "dev", "--to", "prod", cwd=checkout)
    assert result.code == 2
    assert "prod promotes from staging, not dev" in result.err


def test_a_shallow_checkout_is_said_and_run_fetches_the_history(repo: Repo, tmp_path: Path) -> None:
    start = {"api": "1.4.0", "web": "2.0.1"}
    repo.start({env: start for env in ("dev", "staging", "prod")}, ago(days=10))
    repo.set("dev", {"api": "1.4.1", "web": "2.0.1"}, ago(days=5))
    shallow = tmp_path / "shallow"
    git("clone", "--quiet", "--depth", "1", repo.world.remote.url, str(shallow))
    world = repo.world

    plan = world.tagbot("plan", "--json", "--config", "tagbot.yaml", cwd=shallow).json()
    assert plan["updates"] == []
    assert plan["problems"] == [{
        "where": "environments",
        "error": "soak and holds need git history; the checkout is shallow (clone it with full "
        "history, e.g. actions/checkout `fetch-depth: 0`)",
        "transient": False,
    }]  # fmt: skip
    assert stages(plan)["api", "staging"]["note"].startswith("1.4.1: soak unknown (soak and")

    run = world.tagbot("run", "--json", "--config", "tagbot.yaml", cwd=shallow).json()
    assert moved(run) == [("staging", "api", "1.4.0", "1.4.1")] and run["problems"] == []
