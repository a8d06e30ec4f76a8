"""Two `tagbot run`s racing on the same branch: one commit per update, nothing lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tagbot.pipeline.changes import slug
from tests.e2e.conftest import MakeWorld
from tests.e2e.world import EXPECTED, FILES, VALUES, World, config_text
from tests.fakeforge import FakeGitHub
from tests.provider.helpers import seen

pytestmark = pytest.mark.integration
# Holds every push until a second one has arrived (10 s at most), so both runs push on the same
# old tip and the remote must refuse one of them. pre-receive runs in the bare repository.
BARRIER = """#!/bin/sh
touch "arrived.$$"
i=0
while [ "$(ls | grep -c '^arrived\\.')" -lt 2 ] && [ $i -lt 200 ]; do
  sleep 0.05
  i=$((i + 1))
done
cat >/dev/null
"""
LOGS = ("--log-format", "json")
REBUILT = "push rejected, rebuilding on the new tip"


def pin(checkout: Path, image: str) -> None:
    """Change this checkout's tagbot.yaml (not committed) so that it never moves `image`."""
    config = checkout / "tagbot.yaml"
    rule = f'images:\n  - name: "{image}"\n    pin: true\n'
    config.write_text(config.read_text().replace("images:\n", rule, 1))


def race(world: World, checkouts: list[Path], env: dict[str, str] | None = None) -> list[str]:
    """Start `tagbot run` in every checkout at once; their stderr logs, once all exited 0."""
    procs = [
        world.start(*LOGS, "run", "--config", "tagbot.yaml", "--json", cwd=c, env=env)
        for c in checkouts
    ]
    finished = [proc.communicate(timeout=120) for proc in procs]  # wait for all, then judge
    for proc, (out, err) in zip(procs, finished, strict=True):
        assert proc.returncode == 0, err
        assert json.loads(out)["problems"] == []
    return [err for _, err in finished]


def messages(logs: list[str]) -> list[str]:
    """Every log message of every run."""
    return [json.loads(line)["message"] for log in logs for line in log.splitlines()]


def test_two_push_mode_runs_racing_on_main_lose_nothing(world: World, tmp_path: Path) -> None:
    one, two = world.clone(tmp_path / "one"), world.clone(tmp_path / "two")
    pin(one, world.image("worker"))  # one moves api and web
    pin(two, world.image("web"))  # two moves api and worker: api is in both plans
    world.remote.install_hook("pre-receive", BARRIER)

    logs = race(world, [one, two])

    assert REBUILT in messages(logs)  # the race really happened
    subjects = world.remote.subjects("main")[:-1]
    assert sorted(subjects) == sorted(
        f"chore(deps): update {world.image(image)} to {new}"
        for image, new in {(i, n) for _, i, _, n in EXPECTED}
    )  # one commit per update: api is not committed twice
    files = {name: text.format(reg=world.reg) for name, text in FILES.items()}
    for path, image, old, new in EXPECTED:
        spelled = (old, new) if path == VALUES else (f"{image}:{old}", f"{image}:{new}")
        files[path] = files[path].replace(*spelled).replace(f'"{old}"', f'"{new}"')
    for path, text in files.items():
        assert world.remote.read("main", path) + "\n" == text, path


def test_two_pr_mode_runs_racing_share_one_pr_per_image(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    section = {"provider": "github", "mode": "pull-request", "project": "acme/config"}
    world = make_world(section)
    with FakeGitHub(world.remote) as fake:
        config = config_text(world.reg, {**section, "api_url": fake.url})
        world.remote.commit({"tagbot.yaml": config}, "point tagbot at the forge")
        base = world.remote.sha("main")
        checkouts = [world.clone(tmp_path / "one"), world.clone(tmp_path / "two")]
        world.remote.install_hook("pre-receive", BARRIER)

        race(world, checkouts, env={"GITHUB_TOKEN": fake.token})

    pulls = seen(fake)
    heads = {"tagbot/" + slug(world.image(i)) for _, i, _, _ in EXPECTED}
    assert sorted(p.head for p in pulls) == sorted(heads)  # no PR opened twice
    for head in heads:
        assert world.remote.show(head, "%P") == base  # one commit on the base, not two
    assert world.remote.sha("main") == base
    # Each branch was pushed once: the loser's push was refused and never forced over it.
    pushed = [line.split()[2] for line in world.remote.pushes()]
    assert sorted(r for r in pushed if r.startswith("refs/heads/tagbot/")) == sorted(
        f"refs/heads/{h}" for h in heads
    )
    attempts = len(list(world.remote.path.glob("arrived.*")))  # one per push that reached us
    assert attempts > len(heads)  # the race really happened
