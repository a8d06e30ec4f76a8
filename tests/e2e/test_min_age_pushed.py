"""`min_age` by push time end to end: the images live on the real registry, whose configs say
they were built long ago, and a fake Docker Hub API (`push_times: dockerhub`) says when each
tag was pushed. The push time wins where the API knows the tag; the image config's `created`
is used where it does not, or when the API is down (a warning, not a failed image)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.envworld import Repo, ago, moved, stages
from tests.fakevendor.dockerhub import FakeDockerHub
from tests.support.registry import free_port

pytestmark = pytest.mark.integration
# (tag, built, pushed per the API or None: the API does not know the tag)
TAGS = [
    ("1.0.0", ago(days=12), ago(days=11)),
    ("1.1.0", ago(days=10), ago(days=4)),
    ("1.2.0", ago(days=9), ago(hours=5)),  # built long ago, pushed just now
    ("1.3.0", ago(hours=5), None),  # unknown to the API: its config's time counts
]


@pytest.fixture
def hub() -> Iterator[FakeDockerHub]:
    with FakeDockerHub() as fake:
        yield fake


@pytest.fixture
def repo(make_world: MakeWorld, hub: FakeDockerHub) -> Repo:
    world = make_world(images=False)
    with world.registry.seeder() as seeder:
        for tag, built, pushed in TAGS:
            seeder.push_image(f"{world.ns}/api", tag, created=built, label=tag)
            if pushed is not None:
                hub.push(f"{world.ns}/api", tag, pushed)
    return Repo(world)


def settings(repo: Repo, api_url: str, **rule_keys: Any) -> dict[str, Any]:
    """min_age 3d for the world's images; the registry's push times from `api_url`."""
    rule = {"name": f"{repo.world.reg}/*", "policy": "semver", "min_age": "3d", **rule_keys}
    registry = {
        "host": repo.world.registry.host,
        "push_times": "dockerhub",
        "push_times_url": api_url,
    }
    return {"images": [rule], "registries": [registry]}


def test_a_tag_pushed_just_now_waits_though_its_config_is_old(
    repo: Repo, hub: FakeDockerHub, tmp_path: Path
) -> None:
    repo.start({env: {"api": "1.0.0"} for env in ("dev", "staging", "prod")}, ago(days=20),
               **settings(repo, hub.url))  # fmt: skip

    plan = repo.tagbot(tmp_path, "plan")

    assert plan["problems"] == []
    assert moved(plan) == [("dev", "api", "1.0.0", "1.1.0")]
    reason = plan["updates"][0]["reason"]
    assert "1.3.0 too new: pushed 5 h ago, min_age 3d (image created)" in reason
    assert "1.2.0 too new: pushed 5 h ago, min_age 3d (push time from Docker Hub)" in reason
    # The API was asked only for the tags that could win, newest first, up to the first old one.
    ns, _, name = f"{repo.world.ns}/api".partition("/")
    asked = [path for _, path in hub.requests]
    assert asked == [f"/v2/namespaces/{ns}/repositories/{name}/tags/{t}" for t in
                     ("1.3.0", "1.2.0", "1.1.0")]  # fmt: skip

    checkout = repo.world.clone(tmp_path / "tags")
    image = repo.world.image("api")
    explained = repo.world.tagbot("tags", f"{image}:1.0.0", "--config", "tagbot.yaml", cwd=checkout)
    assert explained.code == 0, explained.err
    assert "  1.2.0  too new: pushed 5 h ago, min_age 3d (push time from Docker Hub)\n" in (
        explained.out
    )


def test_the_plan_says_when_a_tag_pushed_just_now_is_eligible(
    repo: Repo, hub: FakeDockerHub, tmp_path: Path
) -> None:
    repo.start({env: {"api": "1.1.0"} for env in ("dev", "staging", "prod")}, ago(days=20),
               **settings(repo, hub.url, ignore=["1.3.0"]))  # fmt: skip

    plan = repo.tagbot(tmp_path, "plan")

    assert plan["updates"] == [] and plan["problems"] == []
    dev = stages(plan)["api", "dev"]
    assert dev["candidate"] == "1.2.0" and dev["eligible"] is False
    assert dev["note"] == (
        "1.2.0 too new: pushed 5 h ago, min_age 3d (push time from Docker Hub); eligible in 3 d"
    )


def test_an_api_that_does_not_answer_falls_back_to_the_image_config(
    repo: Repo, tmp_path: Path
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    repo.start({env: {"api": "1.0.0"} for env in ("dev", "staging", "prod")}, ago(days=20),
               **settings(repo, dead))  # fmt: skip
    checkout = repo.world.clone(tmp_path / "checkout")

    result = repo.world.tagbot("plan", "--json", "--config", "tagbot.yaml", cwd=checkout)

    assert result.code == 0, result.err
    plan = result.json()
    assert plan["problems"] == []
    assert moved(plan) == [("dev", "api", "1.0.0", "1.2.0")]  # built 9 d ago: old enough
    assert (
        "1.3.0 too new: pushed 5 h ago, min_age 3d (image created)" in plan["updates"][0]["reason"]
    )
    assert "push-time API failed" in result.err and dead.removeprefix("http://") in result.err
