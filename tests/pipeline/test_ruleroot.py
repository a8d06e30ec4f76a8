"""`references:` globs mean one thing everywhere: paths relative to the config repository's
root, whether the rule is applied by `scan PATH --config`, `scan` from a subdirectory, `plan`,
`run` or `set --config`; a rule that matches nothing is a note in `plan` and a `validate`
warning naming its line. All through the CLI, on a real registry and bare remote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import MakeWorld
from tests.e2e.world import World

pytestmark = pytest.mark.integration

HUB = "charts/hub/values.yaml"
VALUES = """\
global:
  imageRegistry: "{host}"   # some sub-charts read it: tagbot cannot tell which image it makes
hub:
  image:
    repository: {ns}/web
    tag: 2.0.1-alpine
"""


def _world(make_world: MakeWorld, tmp_path: Path, glob: str) -> tuple[World, Path, int]:
    """A world whose config repo holds HUB and a rule with `glob` for it: the checkout, and the
    line of the rule in tagbot.yaml."""
    world = make_world()
    config = world.remote.read("main", "tagbot.yaml").rstrip("\n") + "\n"
    rule = f"  - {{file: {glob!r}, locator: hub.image, image: {world.image('web')!r}}}\n"
    files = {
        HUB: VALUES.format(host=world.registry.host, ns=world.ns),
        "tagbot.yaml": config + "references:\n" + rule,
    }
    world.remote.commit(files, "A chart whose image tagbot cannot name")
    return world, world.clone(tmp_path / "checkout"), len(config.splitlines()) + 2


def _hub(result: Any) -> dict[str, Any]:
    [ref] = [r for r in result.json()["references"] if r["locator"] == "hub.image"]
    return dict(ref)


def test_one_rule_hits_the_same_file_from_every_entry_point(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world, checkout, _ = _world(make_world, tmp_path, HUB)
    sub, web = checkout / "charts" / "hub", world.image("web")

    scans = [
        world.tagbot("scan", "charts/hub", "--config", "tagbot.yaml", "--json", cwd=checkout),
        world.tagbot("scan", ".", "--config", "../../tagbot.yaml", "--json", cwd=sub),
        world.tagbot("scan", "--config", str(checkout / "tagbot.yaml"), "--json", cwd=sub),
        world.tagbot("scan", HUB, "--config", "tagbot.yaml", "--json", cwd=checkout),
    ]
    for scan in scans:
        assert scan.code == 0, scan.err
        hub = _hub(scan)
        assert (hub["image"], hub["tag"], hub["skip_reason"]) == (web, "2.0.1-alpine", None)
    # `file` stays relative to the PATH given (a file: its name, DESIGN.md); only the rule's
    # glob is matched against the path from the repository's root.
    assert {_hub(s)["file"] for s in scans} == {"values.yaml"}

    plan = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    assert plan.code == 0, plan.err
    assert plan.json()["problems"] == []
    moved = [(u["from"], u["to"]) for u in plan.json()["updates"] if u["file"] == HUB]
    assert moved == [("2.0.1-alpine", "2.1.0-alpine")]

    target = f"{web}:2.1.0-alpine"
    for args, cwd in [(("-p", "."), sub), (("-p", "charts"), checkout)]:
        config = str(checkout / "tagbot.yaml")
        done = world.tagbot("set", target, *args, "--dry-run", "--config", config, cwd=cwd)
        assert done.code == 0, done.err
        assert "-    tag: 2.0.1-alpine\n+    tag: 2.1.0-alpine\n" in done.out

    run = world.tagbot("run", "--config", "../../tagbot.yaml", cwd=sub)
    assert run.code == 0, run.err
    assert "tag: 2.1.0-alpine" in world.remote.read("main", HUB)
    # `set --commit` publishes what it matched through the same rule (a push race re-reads
    # the file by its repository path).
    back = f"{web}:2.0.2-alpine"
    pushed = world.tagbot(
        "set", back, "-p", ".", "--commit", "--config", "../../tagbot.yaml", cwd=sub
    )
    assert pushed.code == 0, pushed.err
    assert "tag: 2.0.2-alpine" in world.remote.read("main", HUB)


def test_a_glob_relative_to_the_scanned_path_matches_nowhere_and_is_named(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    """`values.yaml` once meant charts/hub/values.yaml to `scan charts/hub` only; now it means
    the repository's top-level values.yaml everywhere, and, there being none, says so."""
    world, checkout, line = _world(make_world, tmp_path, "values.yaml")
    sub = checkout / "charts" / "hub"

    for scan in [
        world.tagbot("scan", "charts/hub", "--config", "tagbot.yaml", "--json", cwd=checkout),
        world.tagbot("scan", ".", "--config", "../../tagbot.yaml", "--json", cwd=sub),
    ]:
        assert scan.code == 0, scan.err
        assert _hub(scan)["skip_reason"] == "identity uncertain: global.imageRegistry is set"
    done = world.tagbot(
        "set", f"{world.image('web')}:9.9.9", "--dry-run", "--config", "../../tagbot.yaml", cwd=sub
    )
    assert done.code == 1
    assert "matched no rewritable reference" in done.err

    where = f"tagbot.yaml:{line}: references[0]"
    note = {
        "where": where,
        "error": "file 'values.yaml' matches no file tagbot reads (globs are relative to the "
        "repository root; include and exclude apply); the rule changes nothing",
        "transient": False,
        "level": "info",
    }
    plan = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    assert plan.code == 0, plan.err
    assert plan.json()["problems"] == [note]
    console = world.tagbot("plan", "--config", "tagbot.yaml", cwd=checkout)
    assert (console.code, console.out.count("\nnote " + where)) == (0, 1)

    checked = world.tagbot("validate", "--config", "tagbot.yaml", cwd=checkout)
    assert (checked.code, checked.out) == (0, "ok: tagbot.yaml\n")
    assert checked.err == f"tagbot: info: {where}: {note['error']}\n"


def test_validate_names_a_locator_no_matched_file_holds(
    make_world: MakeWorld, tmp_path: Path
) -> None:
    world, checkout, line = _world(make_world, tmp_path, "charts/*/values.yaml")
    config = checkout / "tagbot.yaml"
    config.write_text(config.read_text().replace("locator: hub.image", "locator: hub.img"))

    checked = world.tagbot("validate", "--config", "tagbot.yaml", cwd=checkout)
    assert (checked.code, checked.out) == (0, "ok: tagbot.yaml\n")
    assert checked.err == (
        f"tagbot: info: tagbot.yaml:{line}: references[0]: locator 'hub.img' names no value "
        "in any of the 2 files 'charts/*/values.yaml' matches; the rule changes nothing\n"
    )
    config.write_text(config.read_text().replace("hub.img", "hub.image"))
    clean = world.tagbot("validate", "--config", "tagbot.yaml", cwd=checkout)
    assert (clean.code, clean.out, clean.err) == (0, "ok: tagbot.yaml\n", "")
