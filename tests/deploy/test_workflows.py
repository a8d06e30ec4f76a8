"""The example workflow for config repos and tagbot's own CI: triggers, least privilege, wiring."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "github-workflow.yaml"
CI = ROOT / ".github" / "workflows" / "ci.yml"
RELEASE = ROOT / ".github" / "workflows" / "release.yml"
WORKFLOWS = [EXAMPLE, CI, RELEASE]
# `uses: owner/repo@<40 hex> # vX.Y.Z`: a commit cannot move; the comment says which release it is.
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(?:\.\d+){0,2}$")


def load(path: Path) -> Any:
    """A YAML file as plain data (YAML 1.2, so the `on:` key stays a string)."""
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    """Every step of every job, in order."""
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


ACTION_INPUTS = set(load(ROOT / "action.yml")["inputs"])


@pytest.mark.parametrize("path", [*WORKFLOWS, ROOT / "action.yml"], ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert lines
    # The one exception: the example follows tagbot's own moving major tag, as users are told to.
    loose = [line for line in lines if not PINNED.match(line)]
    assert loose == ([] if path != EXAMPLE else ["        uses: your-org/tagbot@v0"])


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_no_expression_is_interpolated_into_a_script(path: Path) -> None:
    scripts = [s["run"] for s in steps(load(path)) if "run" in s]
    assert [s for s in scripts if "${{" in s] == []


def test_example_runs_on_a_schedule_and_by_hand() -> None:
    on = load(EXAMPLE)["on"]
    assert set(on) == {"schedule", "workflow_dispatch"}
    (entry,) = on["schedule"]
    assert len(entry["cron"].split()) == 5
    assert on["workflow_dispatch"]["inputs"]["dry-run"]["type"] == "boolean"


def test_example_asks_only_for_what_tagbot_needs() -> None:
    workflow = load(EXAMPLE)
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert workflow["concurrency"] == {"group": "tagbot", "cancel-in-progress": False}


def test_example_checks_out_then_uses_the_action_with_known_inputs() -> None:
    all_steps = steps(load(EXAMPLE))
    assert all_steps[0]["uses"].startswith("actions/checkout@")
    (tagbot,) = [s for s in all_steps if s.get("uses", "").split("@")[0].endswith("/tagbot")]
    assert set(tagbot["with"]) <= ACTION_INPUTS
    assert tagbot["with"]["dry-run"] == "${{ inputs.dry-run == true }}"
    # The report step reads an output the action declares.
    (keep,) = [s for s in all_steps if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert keep["with"]["path"] == f"${{{{ steps.{tagbot['id']}.outputs.report }}}}"
    assert "report" in load(ROOT / "action.yml")["outputs"]


def test_ci_reads_only() -> None:
    workflow = load(CI)
    assert workflow["permissions"] == {"contents": "read"}
    assert {"push", "pull_request"} <= set(workflow["on"])


def test_ci_runs_the_readme_test_command_on_both_pythons() -> None:
    job = load(CI)["jobs"]["test"]
    assert job["strategy"]["matrix"]["python"] == ["3.11", "3.12"]
    (setup,) = [s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@")]
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    scripts = [s["run"] for s in job["steps"] if "run" in s]
    assert any(
        "sudo apt-get install -y docker-registry apache2-utils git" in script for script in scripts
    )
    assert scripts[-1] == "make test"


def test_ci_builds_and_runs_the_image_as_the_cronjob_would() -> None:
    scripts = " ".join(s["run"] for s in load(CI)["jobs"]["container"]["steps"] if "run" in s)
    assert "docker build" in scripts
    assert "--read-only" in scripts and "--cap-drop ALL" in scripts
