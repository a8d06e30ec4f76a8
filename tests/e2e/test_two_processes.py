"""A big repository is read and edited with two processes (pipeline/forked.py): the plan is the
same, byte for byte, as with one (`TAGBOT_PROCESSES=1`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.world import DEPLOY, FILES, OVERLAY, VALUES, World

pytestmark = pytest.mark.integration
COPIES = 120  # x3 files: over forked.MIN_ITEMS for reading and for editing


def test_two_processes_plan_exactly_what_one_plans(world: World, checkout: Path) -> None:
    for n in range(COPIES):
        for name in (DEPLOY, OVERLAY, VALUES):
            copy = checkout / "many" / f"{n:03d}" / name
            copy.parent.mkdir(parents=True, exist_ok=True)
            copy.write_text(FILES[name].format(reg=world.reg))
    (checkout / "many" / "050" / "broken.yaml").write_text(
        "image: [nginx:1\n"
    )  # a problem among them

    two = world.tagbot("plan", "--config", "tagbot.yaml", "--json", cwd=checkout)
    one = world.tagbot(
        "plan", "--config", "tagbot.yaml", "--json", cwd=checkout, env={"TAGBOT_PROCESSES": "1"}
    )

    assert two.code == one.code == 1  # the broken file
    assert two.out == one.out
    data = two.json()
    assert len(data["diffs"]) == 3 * COPIES + 4
    assert [p["where"] for p in data["problems"]] == ["many/050/broken.yaml"]
    assert "died" not in two.err
