"""A registry that never answers must not eat the job: the healthy images still publish, the
dead host's images are transient problems, and the run ends in bounded time (exit 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.world import EXPECTED
from tests.support.blackhole import BlackHole

pytestmark = pytest.mark.integration


def dead_images(host: str, count: int) -> str:
    """A Deployment with `count` containers whose images live on the dead host."""
    containers = "".join(
        f"        - name: c{i}\n          image: {host}/dead/app{i}:1.0.0\n" for i in range(count)
    )
    return (
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: dead\nspec:\n  template:\n"
        f"    spec:\n      containers:\n{containers}"
    )


def test_a_black_hole_registry_fails_its_images_and_the_rest_publish(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    with BlackHole() as hole:
        world = make_world()
        registries = (
            f"registries:\n  - host: '{hole.host}'\n    insecure: true\n"
            "    connect_timeout: 1\n    read_timeout: 2\n    timeout: 3\n"
        )
        checkout = world.clone(tmp_path / "seed")
        text = (checkout / "tagbot.yaml").read_text().replace("defaults: null\n", "")
        world.remote.commit(
            {"apps/dead/deploy.yaml": dead_images(hole.host, 12), "tagbot.yaml": text + registries},
            "A workload on a registry that never answers",
        )
        job = world.clone(tmp_path / "job")
        result = world.tagbot("run", "--config", "tagbot.yaml", "--json", cwd=job)

        assert result.code == 1, result.err
        data = result.json()
        dead = [p for p in data["problems"] if p["where"].startswith(f"{hole.host}/dead/")]
        assert len(dead) == 12 and all(p["transient"] for p in dead)
        assert len(data["problems"]) == 12
        moved = {(u["file"], u["to"]) for u in data["updates"]}
        assert moved == {(f, to) for f, _, _, to in EXPECTED}
        assert [p["changed"] for p in data["proposals"]] == [True] * len(data["proposals"])
        assert hole.connections <= 2  # the breaker gave up on the host after its ping


def test_deadline_reports_unfinished_images_and_publishes_the_rest(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    with BlackHole() as hole:
        world = make_world()
        checkout = world.clone(tmp_path / "seed")
        text = (checkout / "tagbot.yaml").read_text().replace("defaults: null\n", "")
        registries = f"registries:\n  - host: '{hole.host}'\n    insecure: true\n"
        world.remote.commit(
            {"apps/dead/deploy.yaml": dead_images(hole.host, 3), "tagbot.yaml": text + registries},
            "A workload on a registry that never answers",
        )
        job = world.clone(tmp_path / "job")
        result = world.tagbot(
            "run", "--config", "tagbot.yaml", "--json", "--deadline", "3", cwd=job
        )

        assert result.code == 1, result.err
        data = result.json()
        dead = [p for p in data["problems"] if p["where"].startswith(f"{hole.host}/dead/")]
        assert len(dead) == 3 and all(p["transient"] for p in dead)
        assert all("deadline" in p["error"] for p in dead), dead
        assert {(u["file"], u["to"]) for u in data["updates"]} == {
            (f, to) for f, _, _, to in EXPECTED
        }
