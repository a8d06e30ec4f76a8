"""`tagbot serve` end to end: a real registry notifies it, it pushes a commit to a bare remote."""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.serving import SECRETS, Receiver, Server, serve_config
from tests.e2e.world import DEPLOY, FILES, OVERLAY, TAGS, World, cli_env, seed_remote
from tests.fakeforge import FakeGitHub
from tests.fakeforge.gitrepo import git
from tests.support.registry import RegistryServer, free_port

pytestmark = pytest.mark.integration
GIT = {"provider": "git", "mode": "push", "author": {"name": "tagbot-e2e", "email": "e@x.invalid"}}


@pytest.fixture
def notified(tmp_path: Path) -> Iterator[tuple[World, RegistryServer, int]]:
    """A world seeded through a quiet registry, then the same storage and port served by a
    registry that notifies `tagbot serve` (on the port returned) of every push."""
    storage, port = tmp_path / "storage", free_port()
    home = tmp_path / "home"
    home.mkdir()
    with RegistryServer("anonymous", storage) as quiet:
        reg = f"{quiet.host}/e2e"
        remote = seed_remote(tmp_path / "remote.git", reg, GIT)
        world = World(quiet, "e2e", remote, home, cli_env(home))
        for image, tags in TAGS.items():
            world.push_tags(image, *tags)
        registry_port = quiet.port
    token = SECRETS["TAGBOT_TEST_REGISTRY_TOKEN"]
    url = f"http://127.0.0.1:{port}/v1/events/distribution"
    loud = RegistryServer("anonymous", storage, notify=(url, f"Bearer {token}"), port=registry_port)
    with loud:
        world.registry = loud
        yield world, loud, port


def changed_paths(world: World) -> list[str]:
    """The files the newest commit on main changed."""
    out = git("diff", "--name-only", "main~1", "main", cwd=world.remote.path)
    return sorted(out.splitlines())


def test_a_registry_push_makes_serve_commit_only_that_image(
    notified: tuple[World, RegistryServer, int], tmp_path: Path
) -> None:
    world, _, port = notified
    config = tmp_path / "serve" / "tagbot.yaml"
    config.parent.mkdir()
    config.write_text(serve_config(world.reg, {**GIT, "repository": world.remote.url}))
    seed = world.remote.sha("main")
    with Receiver() as receiver:
        server = Server(config, {**world.env, "TAGBOT_TEST_NOTIFY_URL": receiver.url}, port)
        try:
            server.wait_ready()
            world.push_tags("api", "1.5.1")  # web and worker have updates too: events only
            server.wait_idle(published=1)
        finally:
            err = server.stop()

    assert world.remote.sha("main~1") == seed, err
    assert world.remote.subjects("main")[0] == f"chore(deps): update {world.reg}/api to 1.5.1"
    assert changed_paths(world) == sorted([DEPLOY, OVERLAY])
    for path in (DEPLOY, OVERLAY):
        expected = FILES[path].format(reg=world.reg).replace("1.4.0", "1.5.1")
        assert world.remote.read("main", path) + "\n" == expected
    assert [b["title"] for b in receiver.bodies] == [
        f"chore(deps): update {world.reg}/api to 1.5.1"
    ]
    assert "1.4.0 → 1.5.1" in receiver.bodies[0]["message"]
    assert "environment: e2e" in receiver.bodies[0]["message"]
    logs = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    events = [r for r in logs if r["message"] == "event" and r["outcome"] == "accepted"]
    assert events and all(r["source"] == "distribution" for r in events)
    assert SECRETS["TAGBOT_TEST_REGISTRY_TOKEN"] not in err
    assert any(r["message"] == "stopped" and r["clean"] is True for r in logs)


def test_sigterm_lets_the_publish_in_flight_finish(make_world: MakeWorld, tmp_path: Path) -> None:
    world = make_world()
    world.remote.install_hook("pre-receive", "#!/bin/sh\nsleep 2\n")  # a slow forge
    config = tmp_path / "serve" / "tagbot.yaml"
    config.parent.mkdir()
    config.write_text(serve_config(world.reg, {**GIT, "repository": world.remote.url}))
    seed = world.remote.sha("main")
    server = Server(config, world.env)
    try:
        server.wait_ready()
        token = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_CI_TOKEN']}"}
        answer = server.client.post("/v1/images", json={"image": world.image("web")}, headers=token)
        assert answer.status_code == 202
        deadline = time.monotonic() + 30
        while server.metric("tagbot_plans_in_flight") != 1:
            assert time.monotonic() < deadline, "the plan never started"
            time.sleep(0.02)
    finally:
        err = server.stop()

    # uvicorn raises the signal again once shut down: the exit status says SIGTERM, as usual.
    assert server.process.returncode == -signal.SIGTERM, err
    assert world.remote.sha("main~1") == seed
    assert (
        world.remote.subjects("main")[0] == f"chore(deps): update {world.reg}/web to 2.1.0-alpine"
    )
    logs = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    messages = [r["message"] for r in logs]
    assert messages.index("shutting down: finishing the publish in flight") < messages.index(
        "published"
    )


def test_a_registry_push_makes_serve_open_an_auto_merge_pr_on_the_forge(
    notified: tuple[World, RegistryServer, int], tmp_path: Path
) -> None:
    world, _, port = notified
    config = tmp_path / "serve" / "tagbot.yaml"
    config.parent.mkdir()
    with FakeGitHub(world.remote) as fake, Receiver() as receiver:
        git_section = {
            **GIT,
            "repository": world.remote.url,
            "provider": "github",
            "mode": "pull-request",
            "api_url": fake.url,
            "project": "acme/config",
            "automerge": ["minor", "patch"],
        }
        config.write_text(serve_config(world.reg, git_section))
        env = {**world.env, "GITHUB_TOKEN": fake.token, "TAGBOT_TEST_NOTIFY_URL": receiver.url}
        server = Server(config, env, port)
        try:
            server.wait_ready()
            world.push_tags("api", "1.5.1")
            server.wait_idle(published=1)
        finally:
            err = server.stop()
        pulls = fake.open_pulls()

    [pull] = pulls
    assert pull.title == f"chore(deps): update {world.reg}/api to 1.5.1", err
    assert pull.auto_merge == "SQUASH"
    assert f"{world.reg}/api:1.5.1" in world.remote.read(pull.head, DEPLOY)
    assert world.remote.read("main", DEPLOY) == FILES[DEPLOY].format(reg=world.reg).rstrip("\n")
    [body] = receiver.bodies
    assert f"pull request opened: {fake.origin}/acme/config/pull/1" in body["message"]
    assert "auto-merge enabled" in body["message"]
    assert fake.token not in err
