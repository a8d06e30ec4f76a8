"""A burst of 200 registry events for 20 images: one commit per image, no push race, one
notification per publish; then a graceful shutdown."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.e2e.serving import SECRETS, Receiver, Server, serve_config
from tests.e2e.world import cli_env
from tests.fakeforge import BareRepo
from tests.fakeforge.gitrepo import git
from tests.serve import payloads
from tests.support.registry import RegistryServer

pytestmark = pytest.mark.integration
IMAGES = [f"img{i:02d}" for i in range(20)]
MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  template:
    spec:
      containers:
        - name: {name}
          image: {reg}/{name}:1.0.0
"""
RULES = 'images:\n  - name: "{reg}/*"\n    policy: semver\ndefaults: null\n'


def fleet(registry: RegistryServer, tmp_path: Path, ns: str) -> tuple[str, BareRepo]:
    """20 images with 1.0.0 deployed and 1.1.0 in the registry; the remote deploying them."""
    reg = f"{registry.host}/{ns}"
    with registry.seeder() as seeder:
        for name in IMAGES:
            for tag in ("1.0.0", "1.1.0"):
                seeder.push_image(f"{ns}/{name}", tag, label=f"{name}:{tag}")
    remote = BareRepo(tmp_path / "fleet.git")
    files = {f"apps/{n}.yaml": MANIFEST.format(name=n, reg=reg) for n in IMAGES}
    remote.commit(files, "Initial fleet")
    return reg, remote


def test_a_burst_of_200_events_makes_one_commit_per_image(
    registry_anonymous: RegistryServer, tmp_path: Path
) -> None:
    reg, remote = fleet(registry_anonymous, tmp_path, "burst")
    home = tmp_path / "home"
    home.mkdir()
    git_section = {"provider": "git", "mode": "push", "repository": remote.url}
    config = tmp_path / "serve" / "tagbot.yaml"
    config.parent.mkdir()
    config.write_text(serve_config(reg, git_section, rules=RULES.format(reg=reg), debounce=1.0))
    auth = {"Authorization": f"Bearer {SECRETS['TAGBOT_TEST_REGISTRY_TOKEN']}"}
    bodies = [
        payloads.distribution(registry_anonymous.host, f"burst/{IMAGES[i % 20]}", "1.1.0")
        for i in range(200)
    ]

    with Receiver() as receiver:
        server = Server(config, {**cli_env(home), "TAGBOT_TEST_NOTIFY_URL": receiver.url})
        try:
            server.wait_ready()
            with httpx.Client(base_url=server.url, timeout=30) as client:

                def send(body: dict[str, object]) -> int:
                    answer = client.post("/v1/events/distribution", json=body, headers=auth)
                    return answer.status_code

                with ThreadPoolExecutor(8) as pool:
                    statuses = list(pool.map(send, bodies))
            server.wait_idle(published=20)
            plans_ok = server.metric("tagbot_plans_total", result="ok")
            requests = server.metric("tagbot_registry_requests_total")
        finally:
            err = server.stop()

    assert statuses == [202] * 200
    log = git("log", "--format=%x00%s", "--name-only", "main", cwd=remote.path)
    entries = [e.strip().splitlines() for e in log.split("\x00") if e.strip()]
    commits = [[lines[0], *(f for f in lines[1:] if f)] for lines in entries][:-1]
    assert len(commits) == 20, err
    assert sorted(files[1:] for files in commits) == [[f"apps/{n}.yaml"] for n in IMAGES]
    for name in IMAGES:
        assert f"{reg}/{name}:1.1.0" in remote.read("main", f"apps/{name}.yaml")
    assert len(receiver.bodies) == 20
    assert sorted(b["title"] for b in receiver.bodies) == sorted(f[0] for f in commits)
    assert plans_ok >= 1 and requests >= 20  # every image's tags listed by tagbot itself
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert not [r for r in records if r["level"] in ("warning", "error")], err
