"""`.tagbot/holds.yaml`: read with every bad entry a problem, written back sorted."""

from __future__ import annotations

from pathlib import Path

from tagbot.models import Problem
from tagbot.pipeline import holds
from tagbot.pipeline.holds import Hold, HoldsFile

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".tagbot").mkdir()
    (tmp_path / holds.HOLDS_FILE).write_text(text, encoding="utf-8")
    return tmp_path


def test_no_file_holds_nothing(tmp_path: Path) -> None:
    assert holds.read(tmp_path) == (HoldsFile([], []), [])


def test_the_example_file_is_empty() -> None:
    assert holds.read(ROOT / "examples" / "environments") == (HoldsFile([], []), [])


def test_entries_are_normalised_and_bad_ones_are_problems(tmp_path: Path) -> None:
    text = """\
holds:
  - {image: nginx, environment: prod, tag: "1.27.0"}
  - {image: nginx, environment: prod}
  - "ghcr.io/acme/api"
  - {image: "Bad Name", environment: dev, tag: "1"}
released:
  - {image: ghcr.io/acme/api, environment: prod, tag: 1.4}
"""
    found, problems = holds.read(write(tmp_path, text))
    why = "in .tagbot/holds.yaml"
    assert found.holds == [Hold("docker.io/library/nginx", "prod", "1.27.0", why)]
    assert found.released == [Hold("ghcr.io/acme/api", "prod", "1.4", why)]
    assert [p.where for p in problems] == [
        ".tagbot/holds.yaml: holds[1]",
        ".tagbot/holds.yaml: holds[2]",
        ".tagbot/holds.yaml: holds[3]",
    ]
    assert problems[0] == Problem(".tagbot/holds.yaml: holds[1]", "needs tag")
    assert found.held("docker.io/library/nginx", "prod") == found.holds
    assert found.is_released(Hold("ghcr.io/acme/api", "prod", "1.4"))


def test_a_file_that_is_not_yaml_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    found, problems = holds.read(write(tmp_path, "holds: [\n"))
    assert found == HoldsFile([], []) and problems[0].where == holds.HOLDS_FILE


def test_written_back_sorted_with_its_header() -> None:
    file = HoldsFile([Hold("b", "prod", "2"), Hold("a", "dev", "1")], [])
    assert file.text() == holds.HEADER + (
        "holds:\n"
        '  - image: a\n    environment: dev\n    tag: "1"\n'
        '  - image: b\n    environment: prod\n    tag: "2"\n'
        "released: []\n"
    )
