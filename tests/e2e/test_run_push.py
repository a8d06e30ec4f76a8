"""`tagbot run` in push mode end to end: commits on the remote, reruns, reports, failing registries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.world import EXPECTED, FILES, VALUES, World, config_text
from tests.fakeforge.gitrepo import git
from tests.support.proxies import FaultProxy

pytestmark = pytest.mark.integration


def updated_files(world: World, done: list[tuple[str, str, str, str]] = EXPECTED) -> dict[str, str]:
    """The seed files with the tags of `done` moved, and nothing else."""
    files = {name: text.format(reg=world.reg) for name, text in FILES.items()}
    for path, image, old, new in done:
        prefix = "" if path == VALUES else f"{world.reg}/{image}:"
        files[path] = (
            files[path].replace(f"{prefix}{old}", f"{prefix}{new}").replace(f'"{old}"', f'"{new}"')
        )
    return files


def tagbot_subjects(world: World) -> list[str]:
    """The subjects of the commits on main above the seed commit, oldest first."""
    return list(reversed(world.remote.subjects("main")[:-1]))


def test_run_push_commits_each_image_as_the_configured_author(world: World, checkout: Path) -> None:
    result = world.tagbot("run", "--config", "tagbot.yaml", cwd=checkout)

    assert result.code == 0, result.err
    assert tagbot_subjects(world) == [
        f"chore(deps): update {world.reg}/api to 1.5.0",
        f"chore(deps): update {world.reg}/web to 2.1.0-alpine",
        f"chore(deps): update {world.reg}/worker to 2024.03.20",
    ]
    for path, text in updated_files(world).items():
        assert world.remote.read("main", path) + "\n" == text, path
    assert world.remote.show("main", "%an <%ae>|%cn <%ce>") == (
        "tagbot-e2e <e2e@example.invalid>|tagbot-e2e <e2e@example.invalid>"
    )
    body = world.remote.show("main", "%b")
    assert body.startswith(f"### `{world.reg}/worker` `2024.01.15` → `2024.03.20` (minor)\n")
    assert "| `manifests/worker.yaml` | 10 |" in body
    # The checkout followed its own push: clean, at the remote's tip.
    assert git("status", "--porcelain", cwd=checkout) == ""
    assert git("rev-parse", "HEAD", cwd=checkout) == world.remote.sha("main")
    assert f"{world.reg}/api  1.4.0 -> 1.5.0" in result.out


def test_rerun_with_nothing_new_makes_no_commit_and_no_push(
    world: World, checkout: Path, tmp_path: Path
) -> None:
    stale = world.clone(tmp_path / "stale")  # cloned before the first run: it plans it all again
    assert world.tagbot("run", "--config", "tagbot.yaml", cwd=checkout).code == 0
    refs, pushes = world.remote.refs(), world.remote.pushes()

    again = world.tagbot("run", "--config", "tagbot.yaml", "--json", cwd=checkout)
    late = world.tagbot("run", "--config", "tagbot.yaml", "--json", cwd=stale)

    assert again.code == 0, again.err
    assert again.json() == {"updates": [], "problems": []}
    assert late.code == 0, late.err
    assert len(late.json()["updates"]) == len(EXPECTED)  # the stale files still say 1.4.0 ...
    assert {p["changed"] for p in late.json()["proposals"]} == {False}  # ... but main has it all
    assert (world.remote.refs(), world.remote.pushes()) == (refs, pushes)


def test_run_json_lists_updates_and_proposals(world: World, checkout: Path) -> None:
    result = world.tagbot("run", "--config", "tagbot.yaml", "--json", cwd=checkout)

    assert result.code == 0, result.err
    data = result.json()
    assert len(data["updates"]) == len(EXPECTED) and data["problems"] == []
    assert (
        data["proposals"]
        == [{"branch": "main", "url": None, "number": None, "created": False, "changed": True}] * 3
    )
    assert "diffs" not in data


def test_run_dry_run_prints_the_plan_and_publishes_nothing(world: World, checkout: Path) -> None:
    pushes = world.remote.pushes()

    result = world.tagbot("run", "--config", "tagbot.yaml", "--dry-run", "--json", cwd=checkout)

    assert result.code == 0, result.err
    data = result.json()
    assert len(data["updates"]) == len(EXPECTED) and "proposals" not in data
    assert set(data["diffs"]) == {path for path, *_ in EXPECTED}
    assert world.remote.pushes() == pushes
    assert git("status", "--porcelain", cwd=checkout) == ""


def test_step_summary_gets_the_markdown_table(world: World, checkout: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")

    result = world.tagbot(
        "run", "--config", "tagbot.yaml", cwd=checkout, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )

    assert result.code == 0, result.err
    text = summary.read_text()
    assert text.startswith(
        "earlier step\n## tagbot\n\n| file | line | image | from | to | reason |"
    )
    row = f"| apps/api/overlays/production/kustomization.yaml | 7 | {world.reg}/api | `1.4.0` |"
    assert row + " `1.5.0` | newest semver tag in family X.Y.Z, range ^1.0 |" in text
    assert text.endswith("\n\n- pushed `main`\n- pushed `main`\n- pushed `main`\n")
    assert "### Problems" not in text


def test_an_unwritable_step_summary_loses_nothing_but_itself(
    world: World, checkout: Path, tmp_path: Path
) -> None:
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path)}  # a directory: open() fails

    result = world.tagbot(
        "run", "--config", "tagbot.yaml", "--dry-run", "--json", cwd=checkout, env=env
    )

    assert result.code == 0, result.err
    assert len(result.json()["updates"]) == len(EXPECTED)
    assert result.err.startswith("warning: job summary not written")


def test_log_format_json_gives_one_object_per_stderr_line(world: World, checkout: Path) -> None:
    result = world.tagbot(
        "--log-format", "json", "-v", "run", "--config", "tagbot.yaml", "--json", cwd=checkout
    )

    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert lines, "verbose JSON logging logged nothing"
    records = [json.loads(line) for line in lines]
    assert all(isinstance(r, dict) and {"time", "level", "message"} <= set(r) for r in records)
    assert any(r["message"] == "registry requests" for r in records)
    assert json.loads(result.out)["problems"] == []


def test_a_failing_registry_stops_only_its_own_images(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world = make_world()
    proxy = FaultProxy(world.registry.url)
    with proxy:
        world.push_tags("proxy", "0.9.0", "0.10.0")
        # Retry-After: 0 keeps the retries of a 500 from sleeping; they still all fail.
        retry_now = [("Retry-After", "0")]
        proxy.inject(
            f"/v2/{world.ns}/proxy/tags/list", "status", times=20, status=500, headers=retry_now
        )
        world.remote.commit(
            {
                "manifests/proxied.yaml": f"image: {proxy.host}/{world.ns}/proxy:0.9.0\n",
                "manifests/missing.yaml": f"image: {world.reg}/missing:1.0.0\n",
                "manifests/broken.yaml": f"image: [{world.reg}/api:1.4.0\n",
                "tagbot.yaml": config_text(world.reg).replace(
                    "defaults: null", "defaults: {policy: semver}"
                ),
            },
            "add images from a failing registry and a missing repository",
        )
        checkout = world.clone(tmp_path / "checkout")

        summary = tmp_path / "summary.md"
        result = world.tagbot(
            "run", "--config", "tagbot.yaml", "--json", cwd=checkout,
            env={"GITHUB_STEP_SUMMARY": str(summary)},
        )  # fmt: skip

    assert result.code == 1, result.err
    assert len(proxy.requests(f"/v2/{world.ns}/proxy/tags/list")) == 4  # 1 + 3 retries
    data = result.json()
    problems = {p["where"]: p for p in data["problems"]}
    assert set(problems) == {
        f"{proxy.host}/{world.ns}/proxy",
        world.image("missing"),
        "manifests/broken.yaml",
    }
    assert problems["manifests/broken.yaml"]["error"].startswith("not YAML: ")
    assert problems[f"{proxy.host}/{world.ns}/proxy"]["transient"] is True
    assert "500" in problems[f"{proxy.host}/{world.ns}/proxy"]["error"]
    assert problems[world.image("missing")]["transient"] is False
    # Every other image was still decided, committed and pushed.
    assert len(data["updates"]) == len(EXPECTED)
    assert len(tagbot_subjects(world)) == 4  # the test's own commit and three updates
    for path, text in updated_files(world).items():
        assert world.remote.read("main", path) + "\n" == text, path
    assert world.remote.read("main", "manifests/proxied.yaml").endswith("proxy:0.9.0")
    problems_md = summary.read_text().split("### Problems\n\n")[1]
    assert f"- `{proxy.host}/{world.ns}/proxy`: " in problems_md
    assert f"- `{world.image('missing')}`: " in problems_md


def test_run_from_outside_clones_the_configured_repository(world: World, tmp_path: Path) -> None:
    """The CronJob way: the config names the remote; tagbot clones it and pushes there."""
    job = tmp_path / "job"
    job.mkdir()
    text = config_text(world.reg, {"repository": world.remote.url, "base_branch": "main"})
    (job / "tagbot.yaml").write_text(text)

    result = world.tagbot("run", "--config", str(job / "tagbot.yaml"), "--json", cwd=tmp_path)

    assert result.code == 0, result.err
    assert len(tagbot_subjects(world)) == 3
    for path, text in updated_files(world).items():
        assert world.remote.read("main", path) + "\n" == text, path
    assert sorted(p.name for p in job.iterdir()) == ["tagbot.yaml"]  # the clone was temporary
