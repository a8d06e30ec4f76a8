"""Golden edits: `tests/golden/<guarantee>/input.yaml` set with `args.txt` equals `expected.yaml`.

Files are compared byte for byte. A case whose name starts with `kustomize-` is written as
`kustomization.yaml`, the name Kustomize reads; every other case as `input.yaml`.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tagbot.pipeline import setimages as setter
from tests.golden import make_binary_cases

GOLDEN = Path(__file__).parent.parent / "golden"
CASES = sorted(p for p in GOLDEN.iterdir() if (p / "args.txt").is_file())


def _file_name(case: Path) -> str:
    return "kustomization.yaml" if case.name.startswith("kustomize-") else "input.yaml"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden(case: Path, tmp_path: Path) -> None:
    target = tmp_path / _file_name(case)
    target.write_bytes((case / "input.yaml").read_bytes())
    targets = setter.parse_targets(shlex.split((case / "args.txt").read_text()))
    plan = setter.plan_set(targets, [target])
    written, failed = setter.write(plan)
    assert plan.problems == () and failed == ()
    assert target.read_bytes() == (case / "expected.yaml").read_bytes()
    assert len(written) == 1


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_is_idempotent(case: Path, tmp_path: Path) -> None:
    target = tmp_path / _file_name(case)
    target.write_bytes((case / "expected.yaml").read_bytes())
    targets = setter.parse_targets(shlex.split((case / "args.txt").read_text()))
    plan = setter.plan_set(targets, [target])
    assert plan.files == () and plan.problems == ()


def test_binary_cases_match_their_generator() -> None:
    for path, data in make_binary_cases.expected_files().items():
        assert path.read_bytes() == data, f"run tests/golden/make_binary_cases.py ({path})"
