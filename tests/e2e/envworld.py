"""A config repo with three overlays (dev, staging, prod) whose history is written with set
commit dates, images on the real registry, and tagbot run on a clone as CI would."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.e2e.world import World
from tests.fakeforge import FakeGitHub, FakeGitLab
from tests.fakeforge.gitrepo import git

ENVS = ("dev", "staging", "prod")
NOW = datetime.now(UTC).replace(microsecond=0)
ENVIRONMENTS = [
    {"name": "dev", "paths": ["overlays/dev/**"]},
    {"name": "staging", "paths": ["overlays/staging/**"], "from": "dev", "soak": "24h"},
    {"name": "prod", "paths": ["overlays/prod/**"], "from": "staging", "soak": "3d"},
]
Versions = Mapping[str, str]  # image -> "tag" or "tag@digest"


def ago(**span: float) -> datetime:
    """A time before the test started: `ago(hours=30)`."""
    return NOW - timedelta(**span)


def overlay(env: str) -> str:
    """The kustomization of one environment."""
    return f"overlays/{env}/kustomization.yaml"


def overlay_text(reg: str, env: str, versions: Versions) -> str:
    """A kustomization pinning each image of `versions` (a digest as `digest:`)."""
    lines = [
        "apiVersion: kustomize.config.k8s.io/v1beta1",
        "kind: Kustomization",
        f"namePrefix: {env}-",
        "resources: [../../base]",
        "images:",
    ]
    for image, version in sorted(versions.items()):
        tag, _, digest = version.partition("@")
        lines += [f"  - name: {reg}/{image}", f'    newTag: "{tag}"']
        lines += [f"    digest: {digest}"] if digest else []
    return "\n".join(lines) + "\n"


def config(reg: str, **extra: Any) -> str:
    """tagbot.yaml: push mode on plain git, semver for the world's images, three environments."""
    data: dict[str, Any] = {
        "version": 1,
        "git": {"repository": ".", "provider": "git", "mode": "push",
                "author": {"name": "tagbot", "email": "tagbot@example.invalid"}},
        "include": ["overlays/**"],
        "images": [{"name": f"{reg}/*", "policy": "semver"}],
        "defaults": None,
        "environments": ENVIRONMENTS,
    }  # fmt: skip
    for key, value in extra.items():
        data[key] = {**data[key], **value} if isinstance(value, dict) else value
    return json.dumps(data, indent=1) + "\n"  # JSON is YAML


@dataclass
class Repo:
    """The world's remote, written commit by commit with the dates a test gives."""

    world: World

    def start(self, versions: Mapping[str, Versions], when: datetime, **extra: Any) -> None:
        """The first commit: tagbot.yaml and each environment's overlay."""
        files = {overlay(env): overlay_text(self.world.reg, env, v) for env, v in versions.items()}
        files["tagbot.yaml"] = config(self.world.reg, **extra)
        self.world.remote.commit(files, "Initial config", when=when, author="Alice")

    def set(self, env: str, versions: Versions, when: datetime, author: str = "Alice") -> str:
        """A commit replacing one environment's overlay."""
        text = overlay_text(self.world.reg, env, versions)
        return self.world.remote.commit(
            {overlay(env): text}, f"{env}: {versions}", when=when, author=author
        )

    def read(self, env: str) -> str:
        """The overlay of `env` on the remote's main branch."""
        return self.world.remote.read("main", overlay(env))

    def tagbot(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> Any:
        """Run tagbot with ARGS on a fresh clone; its JSON output."""
        checkout = tmp / f"checkout-{len(list(tmp.glob('checkout-*')))}"
        self.world.clone(checkout)
        options = ("--json", "--config", "tagbot.yaml")
        result = self.world.tagbot(*args, *options, cwd=checkout, env=env)
        assert result.code in (0, 1), result.err
        return result.json()

    def log(self) -> list[str]:
        """Subjects on main, newest first."""
        return self.world.remote.subjects("main")


def stages(doc: Any) -> dict[tuple[str, str], dict[str, Any]]:
    """The plan's stages by (image's last path part, environment)."""
    return {(s["image"].rsplit("/", 1)[-1], s["environment"]): s for s in doc.get("stages", [])}


def moved(doc: Any) -> list[tuple[str, str, str, str]]:
    """Each update as (file's environment, image, from, to), sorted."""
    return sorted(
        (u["file"].split("/")[1], u["image"].rsplit("/", 1)[-1], u["from"], u["to"])
        for u in doc["updates"]
    )


def head_author(world: World) -> str:
    """The author of the newest commit on main."""
    return git("--git-dir", str(world.remote.path), "log", "-1", "--format=%an", "main")


def fake_forge(world: World, kind: str, token: str) -> FakeGitHub | FakeGitLab:
    """A fake GitHub (`kind` "github") or GitLab over the world's remote, not yet started."""
    if kind == "github":
        return FakeGitHub(world.remote, token=token)
    return FakeGitLab(world.remote, token=token)


def forge_git(fake: FakeGitHub | FakeGitLab, **extra: Any) -> dict[str, Any]:
    """The `git:` section publishing through `fake`, the token in $FORGE_TOKEN."""
    provider = "github" if isinstance(fake, FakeGitHub) else "gitlab"
    return {"provider": provider, "api_url": fake.url, "project": "acme/config",
            "token_env": "FORGE_TOKEN", **extra}  # fmt: skip
