"""`min_age` end to end: build times set in the image configs on the real registry decide which
tag dev may take; "too new" and "age unknown" are said, never silently waited on."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import Repo, ago, moved, stages

pytestmark = pytest.mark.integration


@pytest.fixture
def repo(make_world: MakeWorld) -> Repo:
    world = make_world(images=False)
    with world.registry.seeder() as seeder:
        for tag, created in [("1.0.0", ago(days=10)), ("1.1.0", ago(days=4)),
                             ("1.2.0", ago(hours=5)), ("1.3.0", None)]:  # fmt: skip
            seeder.push_image(f"{world.ns}/api", tag, created=created, label=tag)
    return Repo(world)


def rules(repo: Repo) -> list[dict[str, str]]:
    return [{"name": f"{repo.world.reg}/*", "policy": "semver", "min_age": "3d"}]


def test_min_age_takes_the_newest_tag_old_enough(repo: Repo, tmp_path: Path) -> None:
    repo.start({env: {"api": "1.0.0"} for env in ("dev", "staging", "prod")}, ago(days=20),
               images=rules(repo))  # fmt: skip

    plan = repo.tagbot(tmp_path, "plan")

    assert moved(plan) == [("dev", "api", "1.0.0", "1.1.0")]
    reason = plan["updates"][0]["reason"]
    assert (
        "1.3.0 age unknown: the registry gives no push time and the image config no `created`"
        in reason
    )
    assert "1.2.0 too new: pushed 5 h ago, min_age 3d (image created)" in reason
    image = repo.world.image("api")
    assert plan["problems"] == [{
        "where": image,
        "error": "1.3.0: age unknown: the registry gives no push time and the image config no "
        "`created`; min_age cannot be checked (ignore the tag by rule)",
        "transient": False,
    }]  # fmt: skip


def test_a_tag_too_new_waits_and_the_plan_says_until_when(repo: Repo, tmp_path: Path) -> None:
    ignore = [{**rules(repo)[0], "ignore": ["1.3.0"]}]
    repo.start({env: {"api": "1.1.0"} for env in ("dev", "staging", "prod")}, ago(days=20),
               images=ignore)  # fmt: skip

    plan = repo.tagbot(tmp_path, "plan")

    assert plan["updates"] == [] and plan["problems"] == []
    dev = stages(plan)["api", "dev"]
    assert dev["candidate"] == "1.2.0" and dev["eligible"] is False
    assert (
        dev["note"] == "1.2.0 too new: pushed 5 h ago, min_age 3d (image created); eligible in 3 d"
    )
    assert dev["eligible_at"] is not None

    checkout = repo.world.clone(tmp_path / "tags")
    image = repo.world.image("api")
    explained = repo.world.tagbot("tags", f"{image}:1.1.0", "--config", "tagbot.yaml", cwd=checkout)
    assert explained.code == 0, explained.err
    assert "  1.2.0  too new: pushed 5 h ago, min_age 3d (image created)\n" in explained.out
