"""Approvals by update type through `pipeline.run`: push mode limited to some types (the rest
become PRs on the fake GitHub), auto-merge only where every update is approved, and one
notification per change set published."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tagbot import pipeline
from tagbot.config import load_config
from tests.e2e.conftest import MakeWorld
from tests.e2e.serving import Receiver
from tests.e2e.world import World, config_text
from tests.fakeforge import FakeGitHub

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def no_docker_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process runs read no developer credentials."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("DOCKER_CONFIG", raising=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A loopback notification receiver."""
    with Receiver() as started:
        yield started


def run_on_github(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    receiver: Receiver,
    git: dict[str, Any],
) -> tuple[FakeGitHub, Any]:
    """`pipeline.run` against a fake GitHub over the world's remote; worker gets a major update."""
    world.push_tags("worker", "2025.01.05")  # api and web move a minor step, worker a major one
    monkeypatch.setenv("TAGBOT_TEST_NOTIFY_URL", receiver.url)
    with FakeGitHub(world.remote) as fake:
        monkeypatch.setenv("GITHUB_TOKEN", fake.token)
        section = {"repository": world.remote.url, "provider": "github", "api_url": fake.url}
        section["project"] = "acme/config"
        path = tmp_path / "tagbot.yaml"
        text = config_text(world.reg, {**section, **git})
        text += 'notify: {"urls_env": ["TAGBOT_TEST_NOTIFY_URL"], "environment": "staging"}\n'
        path.write_text(text)
        report = pipeline.run(load_config(path), tmp_path, tmp_path / "work")
    return fake, report


def test_push_types_push_minor_updates_and_propose_the_major_one(
    make_world: MakeWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    receiver: Receiver,
) -> None:
    world = make_world()
    git = {"mode": "push", "push_types": ["minor", "patch"], "automerge": ["patch"]}

    fake, report = run_on_github(world, tmp_path, monkeypatch, receiver, git)

    assert report.problems == ()
    assert world.remote.subjects("main")[:2] == [
        f"chore(deps): update {world.reg}/web to 2.1.0-alpine",
        f"chore(deps): update {world.reg}/api to 1.5.0",
    ]
    [pull] = fake.open_pulls()
    assert pull.title == f"chore(deps): update {world.reg}/worker to 2025.01.05"
    assert pull.auto_merge is None  # a major update waits for a review
    assert "2024.01.15" in world.remote.read("main", "manifests/worker.yaml")
    titles = sorted(b["title"] for b in receiver.bodies)
    assert titles == sorted([*world.remote.subjects("main")[:2], pull.title])
    body = next(b["message"] for b in receiver.bodies if "worker" in b["title"])
    assert "2024.01.15 → 2025.01.05" in body and "environment: staging" in body
    assert f"pull request opened: {fake.origin}/acme/config/pull/1" in body


def test_automerge_is_enabled_only_for_prs_of_approved_types(
    make_world: MakeWorld,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    receiver: Receiver,
) -> None:
    world = make_world()
    git = {"mode": "pull-request", "automerge": ["minor", "digest"]}

    fake, report = run_on_github(world, tmp_path, monkeypatch, receiver, git)

    assert report.problems == ()
    merging = {p.head: p.auto_merge for p in fake.open_pulls()}
    slug = world.reg.replace(":", "-").replace(".", "-").replace("/", "-")
    assert merging == {
        f"tagbot/{slug}-api": "SQUASH",
        f"tagbot/{slug}-web": "SQUASH",
        f"tagbot/{slug}-worker": None,
    }
    assert len(receiver.bodies) == 3
    assert sum("auto-merge enabled" in b["message"] for b in receiver.bodies) == 2
