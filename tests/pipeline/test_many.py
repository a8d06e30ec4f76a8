"""One run over many config repositories: each image listed once, each repository its own
commits and problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.world import EXPECTED, RULES, World, seed_remote

pytestmark = pytest.mark.integration


def requests_logged(stderr: str) -> dict[str, int]:
    """The registry requests by kind from tagbot's JSON log line."""
    lines = [json.loads(line) for line in stderr.splitlines()]
    [counts] = [line["requests"] for line in lines if line.get("message") == "registry requests"]
    return dict(counts)


def many_config(world: World, remotes: list[str], path: Path) -> Path:
    entries = "".join(f"  - repository: {url}\n" for url in remotes)
    git = '{"provider": "git", "mode": "push", "author": {"name": "t", "email": "t@e.invalid"}}'
    path.write_text(f"git: {git}\nrepositories:\n{entries}" + RULES.format(reg=world.reg))
    return path


def test_each_image_is_listed_once_for_all_repositories(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world = make_world()
    remotes = [seed_remote(tmp_path / f"repo{i}.git", world.reg) for i in range(3)]
    config = many_config(world, [r.url for r in remotes], tmp_path / "tagbot.yaml")
    one = world.tagbot("--log-format", "json", "plan", "--config", "tagbot.yaml", "--json",
                       cwd=world.clone(tmp_path / "single"))  # fmt: skip
    assert one.code == 0, one.err

    many = world.tagbot("--log-format", "json", "run", "-c", str(config), "--json", cwd=tmp_path)

    assert many.code == 0, many.err
    # Three repositories, one listing per image: the requests of one repository, not three times.
    assert requests_logged(many.err) == requests_logged(one.err)
    assert requests_logged(many.err)["tags"] == 3
    data = many.json()
    assert [r["repository"] for r in data["repositories"]] == [r.url for r in remotes]
    want = sorted((f, world.image(i), a, b) for f, i, a, b in EXPECTED)
    for result, remote in zip(data["repositories"], remotes, strict=True):
        got = sorted((u["file"], u["image"], u["from"], u["to"]) for u in result["updates"])
        assert got == want
        assert result["problems"] == []
        assert all(p["changed"] for p in result["proposals"])
        assert len(remote.pushes()) > 1  # the seed commit, then tagbot's


def test_a_broken_repository_is_its_own_problem(make_world: MakeWorld, tmp_path: Path) -> None:
    world = make_world()
    good = seed_remote(tmp_path / "good.git", world.reg)
    config = many_config(world, [str(tmp_path / "missing.git"), good.url], tmp_path / "t.yaml")

    result = world.tagbot("plan", "-c", str(config), "--json", cwd=tmp_path)

    assert result.code == 1
    broken, fine = result.json()["repositories"]
    assert [p["where"] for p in broken["problems"]] == [str(tmp_path / "missing.git")]
    assert broken["updates"] == []
    assert len(fine["updates"]) == len(EXPECTED) and fine["problems"] == []
