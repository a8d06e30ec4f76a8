"""`tagbot tags IMAGE --policy ...` end to end: the pick and one reason for every other tag."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.registry import RegistryServer

pytestmark = pytest.mark.integration
TAGS = ["1.25.3", "1.25.4", "1.26.0", "1.26.0-alpine", "2.0.0-rc.1", "2.0.0", "latest", "1.26"]


@pytest.fixture(scope="module")
def registry() -> Iterator[RegistryServer]:
    """A registry holding `policy/app` with a mix of versions, variants and aliases."""
    with RegistryServer("anonymous") as server, server.seeder() as seeder:
        for tag in TAGS:
            seeder.push_image("policy/app", tag, label=tag)
        yield server


def tags(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "tagbot", "tags", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "selected", "reasons"),
    [
        pytest.param(
            ["--current", "1.25.3", "--range", "^1.25"],
            "1.26.0",
            {"2.0.0": "outside range", "1.26.0-alpine": "other family", "latest": None},
            id="range-keeps-major",
        ),
        pytest.param(
            ["--current", "1.25.3"],
            "2.0.0",
            {"2.0.0-rc.1": "pre-release", "1.25.4": None},
            id="semver-newest",
        ),
        pytest.param(
            ["--current", "1.26.0", "--ignore", "2.*"],
            None,
            {"2.0.0": "ignored"},
            id="ignore-glob",
        ),
    ],
)
def test_tags_explains_every_rejection(
    registry: RegistryServer,
    tmp_path: Path,
    args: list[str],
    selected: str | None,
    reasons: dict[str, str | None],
) -> None:
    result = tags(f"{registry.host}/policy/app", *args, "--json", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["selected"] == selected
    rejected = {r["tag"]: r["reason"] for r in data["rejected"]}
    current = args[args.index("--current") + 1]
    assert set(rejected) == set(TAGS) - {current, selected}
    for tag, reason in reasons.items():
        if reason is not None:
            assert reason in rejected[tag], (tag, rejected[tag])
        else:
            assert rejected[tag], tag


def test_tags_text_output_names_the_choice(registry: RegistryServer, tmp_path: Path) -> None:
    result = tags(f"{registry.host}/policy/app:1.25.3", "--range", "~1.25", tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "selected: 1.25.4" in result.stdout
    assert "outside range" in result.stdout


def test_tags_bad_range_is_a_usage_error(registry: RegistryServer, tmp_path: Path) -> None:
    result = tags(f"{registry.host}/policy/app", "--range", ">=1 <<2", tmp_path=tmp_path)
    assert result.returncode == 2
    assert "range" in result.stderr
    assert "Traceback" not in result.stderr
