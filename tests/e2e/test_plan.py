"""`tagbot plan` end to end: the JSON contract, diffs, nothing written, bad config, shards."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.e2e.world import DEPLOY, EXPECTED, FILES, OVERLAY, VALUES, WORKER, World
from tests.fakeforge.gitrepo import git

pytestmark = pytest.mark.integration


def tree_state(checkout: Path) -> tuple[str, str]:
    """Everything plan could have written: the files' status and every ref of the clone."""
    status = git("status", "--porcelain", "--ignored", cwd=checkout)
    refs = git("for-each-ref", "--format=%(refname) %(objectname)", cwd=checkout)
    return status, refs


def test_plan_json_lists_every_update_with_its_reason_and_writes_nothing(
    world: World, checkout: Path
) -> None:
    remote, before = (world.remote.refs(), world.remote.pushes()), tree_state(checkout)

    result = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)

    assert result.code == 0, result.err
    data = result.json()
    assert data["problems"] == []
    got = [(u["file"], u["image"], u["from"], u["to"]) for u in data["updates"]]
    assert sorted(got) == sorted((f, world.image(i), a, b) for f, i, a, b in EXPECTED)
    by_file = {u["file"]: u for u in data["updates"]}
    assert {f: by_file[f]["line"] for f in by_file} == {
        DEPLOY: 11,
        OVERLAY: 7,
        VALUES: 5,
        WORKER: 10,
    }
    assert by_file[OVERLAY]["reason"] == "newest semver tag in family X.Y.Z, range ^1.0"
    assert "X.Y.Z-alpine" in by_file[VALUES]["reason"]
    assert "calver" in by_file[WORKER]["reason"]
    assert set(data["updates"][0]) >= {"file", "line", "image", "from", "to", "reason"}
    # A unified diff per file, changing only the tag, comments and quotes kept.
    assert (
        f"   repository: {world.reg}/web   # the storefront\n"
        "-  tag: '2.0.1-alpine'     # keep the alpine variant\n"
        "+  tag: '2.1.0-alpine'     # keep the alpine variant\n"
        "   pullPolicy: IfNotPresent\n"
    ) in data["diffs"][VALUES]
    assert data["diffs"][VALUES].startswith(f"--- a/{VALUES}\n+++ b/{VALUES}\n@@ ")
    assert set(data["diffs"]) == {DEPLOY, OVERLAY, VALUES, WORKER}
    assert "proposals" not in data
    assert tree_state(checkout) == before
    assert (world.remote.refs(), world.remote.pushes()) == remote
    assert (checkout / VALUES).read_text() == FILES[VALUES].format(reg=world.reg)


def test_plan_console_shows_updates_reasons_and_diffs(world: World, checkout: Path) -> None:
    result = world.tagbot("plan", "--config", "tagbot.yaml", cwd=checkout)

    assert result.code == 0, result.err
    assert f"{OVERLAY}:7  {world.reg}/api  1.4.0 -> 1.5.0" in result.out
    assert "newest semver tag in family X.Y.Z, range ^1.0" in result.out
    assert f"--- a/{WORKER}\n+++ b/{WORKER}\n" in result.out
    assert f'+          image: "{world.reg}/worker:2024.03.20"   # calver' in result.out


def test_plan_with_a_bad_config_exits_2_naming_key_and_line(world: World, checkout: Path) -> None:
    config = checkout / "tagbot.yaml"
    config.write_text(config.read_text().replace('range: "^1.0"', 'range: "^1.0 ||| nope"'))

    result = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)

    assert result.code == 2
    line = config.read_text().splitlines().index('    range: "^1.0 ||| nope"') + 1
    assert f"tagbot.yaml:{line}: images[0].range" in result.err
    error = result.json()["error"]  # --json: one document on stdout, even for a failure
    assert error["exit_code"] == 2 and f"tagbot.yaml:{line}: images[0].range" in error["message"]


@pytest.mark.parametrize(
    "bad", ["2/2", "x/2", "1"], ids=["index-too-big", "not-a-number", "no-count"]
)
def test_plan_with_a_bad_shard_exits_2(world: World, checkout: Path, bad: str) -> None:
    result = world.tagbot("plan", "--config", "tagbot.yaml", "--shard", bad, cwd=checkout)

    assert result.code == 2
    assert "--shard" in result.err


def test_two_shards_together_cover_every_image_exactly_once(world: World, checkout: Path) -> None:
    shards = []
    for index in (0, 1):
        result = world.tagbot(
            "plan", "--config", "tagbot.yaml", "--json", "--shard", f"{index}/2", cwd=checkout
        )
        assert result.code == 0, result.err
        shards.append({(u["file"], u["image"]) for u in result.json()["updates"]})

    whole = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout).json()
    assert shards[0].isdisjoint(shards[1])
    assert shards[0] | shards[1] == {(u["file"], u["image"]) for u in whole["updates"]}
    # An image is never split across shards: its references travel together.
    images = [{image for _, image in shard} for shard in shards]
    assert images[0].isdisjoint(images[1])


def test_plan_outside_a_git_checkout(world: World, tmp_path: Path) -> None:
    """A plain directory (a copy of the config repo, no git) can still be planned."""
    plain = tmp_path / "plain"
    subprocess.run(["git", "clone", "-q", world.remote.url, str(plain)], check=True)
    subprocess.run(["rm", "-rf", str(plain / ".git")], check=True)

    result = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=plain)

    assert result.code == 0, result.err
    assert len(result.json()["updates"]) == len(EXPECTED)


def test_console_and_summary_print_regex_reasons_verbatim(
    world: World, checkout: Path, tmp_path: Path
) -> None:
    """A reason quotes the user's filter; `[/_-]` is not console markup (it used to crash)."""
    config = checkout / "tagbot.yaml"
    rule = f"  - name: \"{world.reg}/web\"\n    filter: '^[0-9.]+[/_-]alpine$'\n"
    config.write_text(
        config.read_text().replace(
            f'  - name: "{world.reg}/*"', rule + f'  - name: "{world.reg}/*"'
        )
    )
    summary = tmp_path / "summary.md"

    result = world.tagbot(
        "plan", "--config", "tagbot.yaml", cwd=checkout, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )

    assert result.code == 0, result.err
    reason = "newest semver tag in family X.Y.Z-alpine, filter ^[0-9.]+[/_-]alpine$"
    assert f"    {reason}\n" in result.out
    assert f"| `2.0.1-alpine` | `2.1.0-alpine` | {reason} |" in summary.read_text()
