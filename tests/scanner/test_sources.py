"""Credential sources: one ordered list, the first source with an answer wins."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from tagbot.models import RegistryOptions
from tagbot.scanner import sources


def test_the_sources_and_their_order() -> None:
    assert [name for name, _ in sources.SOURCES] == [
        "env",
        "credential helper",
        "docker config",
        "ci token",
    ]


def _docker_config(home: Path, registry: str, user: str, password: str) -> dict[str, str]:
    folder = home / "docker"
    folder.mkdir()
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    (folder / "config.json").write_text(json.dumps({"auths": {registry: {"auth": auth}}}))
    return {"DOCKER_CONFIG": str(folder)}


def test_each_source_answers_in_turn(tmp_path: Path) -> None:
    env = {
        **_docker_config(tmp_path, "ghcr.io", "cfg-user", "cfg-pass"),
        "GITHUB_TOKEN": "gh-token",
        "U": "env-user",
        "P": "env-pass",
    }
    named = RegistryOptions(username_env="U", password_env="P")
    found = [
        sources.find_credentials("ghcr.io", named, env),  # the config names env vars: first
        sources.find_credentials("ghcr.io", RegistryOptions(), env),  # then the docker config
        sources.find_credentials("ghcr.io", RegistryOptions(), {"GITHUB_TOKEN": "gh-token"}),
        sources.find_credentials("quay.io", RegistryOptions(), env),  # nobody knows quay.io
    ]
    assert [(c.source, c.username) if c else None for c in found] == [
        ("$P", "env-user"),
        ("docker config", "cfg-user"),
        ("$GITHUB_TOKEN", "tagbot"),
        None,
    ]
