"""A small GitOps config repo on a real bare remote, images on a real registry, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.fakeforge import BareRepo, isolated_git_env
from tests.fakeforge.gitrepo import git
from tests.support.registry import RegistryServer

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = "apps/api/base/deployment.yaml"
OVERLAY = "apps/api/overlays/production/kustomization.yaml"
VALUES = "charts/web/values.yaml"
WORKER = "manifests/worker.yaml"
# The tags each image has in the registry, and what the config repo deploys now.
TAGS = {
    "api": ["1.4.0", "1.4.1", "1.5.0", "2.0.0"],
    "web": ["2.0.1-alpine", "2.0.2-alpine", "2.1.0-alpine", "2.1.0"],
    "worker": ["2024.01.15", "2024.02.01", "2024.03.20"],
}
# (file, image, from, to): what tagbot should propose with the config below.
EXPECTED = [
    (DEPLOY, "api", "1.4.0", "1.5.0"),
    (OVERLAY, "api", "1.4.0", "1.5.0"),
    (VALUES, "web", "2.0.1-alpine", "2.1.0-alpine"),
    (WORKER, "worker", "2024.01.15", "2024.03.20"),
]
FILES = {
    DEPLOY: """\
# The API server; production pins its version in the overlay.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: {reg}/api:1.4.0  # bumped by tagbot
          ports:
            - containerPort: 8080
""",
    OVERLAY: """\
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
images:
  # production follows 1.x only
  - name: {reg}/api
    newTag: "1.4.0"
""",
    VALUES: """\
# Values for the web chart.
replicaCount: 2

image:
  repository: {reg}/web   # the storefront
  tag: '2.0.1-alpine'     # keep the alpine variant
  pullPolicy: IfNotPresent
""",
    WORKER: """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
spec:
  template:
    spec:
      containers:
        - name: worker
          image: "{reg}/worker:2024.01.15"   # calver
          args: ["--queue", "default"]
""",
}
RULES = """\
images:
  - name: "{reg}/api"
    range: "^1.0"
  - name: "{reg}/worker"
    policy: calver
  - name: "{reg}/*"
    policy: semver
defaults: null
"""


def config_text(reg: str, git_section: dict[str, Any] | None = None) -> str:
    """tagbot.yaml for images under `reg`, publishing as `git_section` says (JSON is YAML)."""
    section = {
        "repository": ".",
        "provider": "git",
        "mode": "push",
        "author": {"name": "tagbot-e2e", "email": "e2e@example.invalid"},
        **(git_section or {}),
    }
    return f"version: 1\ngit: {json.dumps(section)}\n" + RULES.format(reg=reg)


@dataclass
class Result:
    """A finished CLI run."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout as one JSON document."""
        return json.loads(self.out)


@dataclass
class World:
    """The registry namespace, bare remote and checkout of one test, and how to run tagbot."""

    registry: RegistryServer
    ns: str
    remote: BareRepo
    home: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def reg(self) -> str:
        """`127.0.0.1:PORT/NS`: the prefix of this test's images."""
        return f"{self.registry.host}/{self.ns}"

    def image(self, name: str) -> str:
        """The normalised name of one of this test's images."""
        return f"{self.reg}/{name}"

    def push_tags(self, name: str, *tags: str) -> None:
        """Push tags of one image to the registry (each tag its own digest)."""
        with self.registry.seeder() as seeder:
            for tag in tags:
                seeder.push_image(f"{self.ns}/{name}", tag, label=f"{name}:{tag}")

    def clone(self, path: Path) -> Path:
        """A full clone of the remote whose `origin` is the remote."""
        git("clone", "--quiet", self.remote.url, str(path))
        return path

    def tagbot(self, *args: str, cwd: Path, env: dict[str, str] | None = None) -> Result:
        """Run `python -m tagbot ARGS` in `cwd` as a CI job would."""
        proc = subprocess.run(
            [sys.executable, "-m", "tagbot", *args],
            cwd=cwd,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def start(
        self, *args: str, cwd: Path, env: dict[str, str] | None = None
    ) -> subprocess.Popen[str]:
        """Start tagbot without waiting (for races)."""
        return subprocess.Popen(
            [sys.executable, "-m", "tagbot", *args],
            cwd=cwd,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def cli_env(home: Path) -> dict[str, str]:
    """The environment of a CI job: no developer config, no tokens, git cut off from ~/.gitconfig."""
    dropped = ("GITHUB_", "GITLAB_", "TAGBOT_", "DOCKER_", "GIT_", "REGISTRY_AUTH")
    env = {k: v for k, v in os.environ.items() if not k.startswith(dropped)}
    env.update(isolated_git_env())
    env.update({"HOME": str(home), "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "COLUMNS": "200"})
    return env


def seed_remote(path: Path, reg: str, git_section: dict[str, Any] | None = None) -> BareRepo:
    """A bare remote whose `main` holds the config repo and its tagbot.yaml."""
    remote = BareRepo(path)
    files = {name: text.format(reg=reg) for name, text in FILES.items()}
    files["tagbot.yaml"] = config_text(reg, git_section)
    remote.commit(files, "Initial config")
    return remote
