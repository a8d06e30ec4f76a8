"""action.yml: its shape, and its run script executed as a runner would, with a stand-in tagbot.

The stand-in is a `python` that answers `-m tagbot ...` with a canned report and exit code and
passes everything else to the real interpreter, so the script's own Python (the output parser)
runs for real.
"""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tagbot.cli import COMMANDS

ROOT = Path(__file__).resolve().parents[2]
ACTION = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
TOKEN = "ghs_notarealtokenbutlookslikeone0123456789"
REPORT = {
    "updates": [
        {"file": "a.yaml", "line": 3, "image": "ghcr.io/acme/api", "from": "1.0", "to": "1.1"},
        {"file": "b.yaml", "line": 9, "image": "ghcr.io/acme/web", "from": "2.0", "to": "2.1"},
    ],
    "problems": [],
    "proposals": [
        {"url": "https://github.com/acme/gitops/pull/7", "number": 7, "branch": "tagbot/api"},
        {"url": None, "number": None, "branch": "tagbot/web"},
    ],
}
FAKE_PYTHON = """#!/usr/bin/env bash
if [ "$1" = "-m" ] && [ "$2" = "tagbot" ]; then
  shift 2
  printf '%s\\n' "$@" > "$FAKE_DIR/argv"
  printf '%s' "$GITHUB_TOKEN" > "$FAKE_DIR/token"
  cat "$FAKE_DIR/stdout"
  exit "$(cat "$FAKE_DIR/exit")"
fi
exec "{real}" "$@"
"""


def step(step_id: str) -> dict[str, Any]:
    """The composite step with that id."""
    (found,) = [s for s in ACTION["runs"]["steps"] if s.get("id") == step_id]
    return found


@dataclass
class Outcome:
    """What one execution of the run step left behind."""

    code: int
    outputs: dict[str, str]
    argv: list[str] | None
    token: str | None
    log: str


def run_step(
    tmp_path: Path, *, stdout: str, exit_code: int = 0, real: bool = False, **inputs: str
) -> Outcome:
    """Execute the `run` step's script the way the runner does (bash -eo pipefail); `real` runs
    this checkout's tagbot instead of the stand-in."""
    fake = tmp_path / "fake"
    fake.mkdir()
    (fake / "stdout").write_text(stdout, encoding="utf-8")
    (fake / "exit").write_text(str(exit_code), encoding="utf-8")
    python = fake / "python"
    python.write_text(FAKE_PYTHON.format(real=sys.executable), encoding="utf-8")
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    script = tmp_path / "step.sh"
    script.write_text(step("run")["run"], encoding="utf-8")
    workdir = tmp_path / "repo"
    workdir.mkdir()
    output = tmp_path / "github_output"
    output.touch()
    env = {
        "PATH": "/usr/bin:/bin",
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(output),
        "FAKE_DIR": str(fake),
        "GITHUB_TOKEN": TOKEN,
        "TAGBOT_PYTHON": sys.executable if real else str(python),
        "TAGBOT_CONFIG": inputs.get("config", "tagbot.yaml"),
        "TAGBOT_DRY_RUN": inputs.get("dry_run", "false"),
        "TAGBOT_ARGS": inputs.get("args", ""),
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    argv = fake / "argv"
    token = fake / "token"
    return Outcome(
        code=done.returncode,
        outputs=dict(line.split("=", 1) for line in output.read_text().splitlines()),
        argv=argv.read_text().splitlines() if argv.exists() else None,
        token=token.read_text() if token.exists() else None,
        log=done.stdout + done.stderr,
    )


def test_inputs_and_outputs_are_the_documented_ones() -> None:
    assert ACTION["runs"]["using"] == "composite"
    inputs = ACTION["inputs"]
    assert set(inputs) == {"config", "token", "dry-run", "args", "working-directory"}
    assert inputs["config"]["default"] == "tagbot.yaml"
    assert inputs["token"]["default"] == "${{ github.token }}"
    assert inputs["dry-run"]["default"] == "false"
    assert all(not spec.get("required", False) for spec in inputs.values())
    outputs = ACTION["outputs"]
    assert {name: spec["value"] for name, spec in outputs.items()} == {
        name: f"${{{{ steps.run.outputs.{name} }}}}"
        for name in ("updates", "pull-requests", "report")
    }


def test_python_comes_from_setup_python_and_tagbot_from_the_lock_of_the_action_itself() -> None:
    setup = step("python")
    assert setup["uses"].partition("@")[0] == "actions/setup-python"
    assert setup["with"]["python-version"] == "3.12"
    install = step("install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    script = " ".join(install["run"].replace("\\\n", " ").split())
    # The only thing pip installs is the uv the lock pins; uv installs the lock, never re-resolving.
    assert '-m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"' in script
    assert script.count("pip install") == 1
    assert '-m uv sync --quiet --project "$ACTION_PATH" --frozen --no-editable' in script


def test_no_expression_is_interpolated_into_a_script() -> None:
    # Script injection: ${{ }} inside `run:` is pasted into the shell before it starts.
    scripts = [s["run"] for s in ACTION["runs"]["steps"] if "run" in s]
    assert len(scripts) == 2
    assert [s for s in scripts if "${{" in s] == []


def test_the_token_reaches_tagbot_only_through_the_environment() -> None:
    run = step("run")
    assert run["env"]["GITHUB_TOKEN"] == "${{ inputs.token }}"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert text.count("inputs.token") == 1


@pytest.mark.parametrize(
    ("inputs", "expected_argv"),
    [
        pytest.param({}, ["run", "--config", "tagbot.yaml", "--json"], id="defaults"),
        pytest.param(
            {"dry_run": "true", "args": "--shard 1/3  --verbose"},
            [
                "run",
                "--config",
                "tagbot.yaml",
                "--json",
                "--dry-run",
                "--shard",
                "1/3",
                "--verbose",
            ],
            id="dry-run-and-args",
        ),
        pytest.param(
            {"config": "config dir/tagbot.yaml", "dry_run": "False"},
            ["run", "--config", "config dir/tagbot.yaml", "--json"],
            id="config-with-space",
        ),
    ],
)
def test_arguments_reach_tagbot_as_given(
    tmp_path: Path, inputs: dict[str, str], expected_argv: list[str]
) -> None:
    outcome = run_step(tmp_path, stdout=json.dumps(REPORT), **inputs)
    assert outcome.code == 0, outcome.log
    assert outcome.argv == expected_argv
    assert outcome.token == TOKEN


def test_outputs_count_updates_and_list_pull_request_urls(tmp_path: Path) -> None:
    outcome = run_step(tmp_path, stdout=json.dumps(REPORT))
    assert outcome.code == 0, outcome.log
    assert outcome.outputs["updates"] == "2"
    assert json.loads(outcome.outputs["pull-requests"]) == ["https://github.com/acme/gitops/pull/7"]
    assert json.loads(Path(outcome.outputs["report"]).read_text()) == REPORT
    assert "tagbot: 2 update(s), 1 pull request(s)" in outcome.log


@pytest.mark.parametrize(
    ("exit_code", "stdout", "updates"),
    [
        pytest.param(1, json.dumps({**REPORT, "problems": [{"where": "x"}]}), "2", id="partial-1"),
        pytest.param(2, "", "0", id="config-error-2"),
        pytest.param(1, "not json {", "0", id="garbled-1"),
    ],
)
def test_failure_exit_code_propagates_and_outputs_are_still_written(
    tmp_path: Path, exit_code: int, stdout: str, updates: str
) -> None:
    outcome = run_step(tmp_path, stdout=stdout, exit_code=exit_code)
    assert outcome.code == exit_code
    assert outcome.outputs["updates"] == updates
    assert Path(outcome.outputs["report"]).read_text() == stdout


def test_hostile_args_stay_data(tmp_path: Path) -> None:
    args = "$(touch pwned1) `touch pwned2` ; touch pwned3 *"
    outcome = run_step(tmp_path, stdout="{}", args=args, config="$(touch pwned4)")
    assert outcome.code == 0, outcome.log
    assert outcome.argv == ["run", "--config", "$(touch pwned4)", "--json", *args.split()]
    assert list(tmp_path.rglob("pwned*")) == []


def test_a_bad_dry_run_value_stops_before_tagbot(tmp_path: Path) -> None:
    outcome = run_step(tmp_path, stdout="{}", dry_run="maybe")
    assert outcome.code == 2
    assert outcome.argv is None
    assert "dry-run input must be true or false" in outcome.log


def test_the_token_is_never_printed(tmp_path: Path) -> None:
    outcome = run_step(tmp_path, stdout=json.dumps(REPORT), dry_run="true")
    assert outcome.code == 0
    assert TOKEN not in outcome.log + json.dumps(outcome.outputs)


@pytest.mark.skipif("run" not in COMMANDS, reason="`tagbot run` is not built yet")
def test_real_tagbot_config_error_exits_2_with_empty_outputs(tmp_path: Path) -> None:
    outcome = run_step(tmp_path, stdout="", real=True, config="missing.yaml")
    assert outcome.code == 2, outcome.log
    assert "missing.yaml" in outcome.log
    assert outcome.outputs["updates"] == "0"
    assert outcome.outputs["pull-requests"] == "[]"
