"""tagbot/editor/walk.py: which files are read, in what order, and which are skipped and why."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.editor import iter_files, load, textio
from tagbot.editor.walk import CHART_TEMPLATE, skip_problem
from tagbot.models import Problem


def _tree(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _listed(paths: list[Path]) -> list[tuple[str, str | None]]:
    return [(rel, skip) for _, rel, skip in iter_files(paths)]


def test_yaml_files_sorted_with_posix_paths(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "b.yml": b"a: 1\n",
            "a/z.yaml": b"a: 1\n",
            "a/B.YAML": b"a: 1\n",
            "a/readme.md": b"# no\n",
            "a.json": b"{}",
            ".git/config.yaml": b"a: 1\n",
            "node_modules/x/y.yaml": b"a: 1\n",
            ".github/workflows/ci.yml": b"a: 1\n",
        },
    )
    assert _listed([tmp_path]) == [
        (".github/workflows/ci.yml", None),
        ("a/B.YAML", None),
        ("a/z.yaml", None),
        ("b.yml", None),
    ]


def test_helm_chart_templates_come_unread_with_an_info_reason(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "chart/Chart.yaml": b"name: c\n",
            "chart/values.yaml": b"image: {}\n",
            "chart/templates/deploy.yaml": b"{{- if .Values.x }}\n",
            "chart/crds/crd.yaml": b"a: 1\n",
            "other/templates/t.yaml": b"a: 1\n",
        },
    )
    assert _listed([tmp_path]) == [
        ("chart/Chart.yaml", None),
        ("chart/crds/crd.yaml", None),
        ("chart/templates/deploy.yaml", CHART_TEMPLATE),
        ("chart/values.yaml", None),
        ("other/templates/t.yaml", None),
    ]
    given = tmp_path / "chart" / "templates"
    assert list(iter_files([given])) == [(given / "deploy.yaml", "deploy.yaml", CHART_TEMPLATE)]
    assert skip_problem("deploy.yaml", CHART_TEMPLATE).level == "info"
    assert skip_problem("a.yaml", "binary file") == Problem("a.yaml", "skipped: binary file")


def test_unreadable_files_come_with_a_reason(tmp_path: Path) -> None:
    # The walk only lists them; reading them once (`editor.load`) gives the reason.
    big = b"a: " + b"x" * textio.MAX_BYTES + b"\n"
    _tree(tmp_path, {"bin.yaml": b"a\x00b", "latin1.yaml": b"a: caf\xe9\n", "big.yaml": big})
    listed = {rel: load(path, rel, skip).problems for path, rel, skip in iter_files([tmp_path])}
    assert listed["bin.yaml"] == (Problem("bin.yaml", "skipped: binary file"),)
    assert listed["latin1.yaml"] == (Problem("latin1.yaml", "skipped: not UTF-8 (byte 6)"),)
    [problem] = listed["big.yaml"]
    assert problem.error.startswith("skipped: larger than")


def test_a_file_given_by_name_is_read_whatever_its_suffix(tmp_path: Path) -> None:
    _tree(tmp_path, {"deploy/values.txt": b"a: 1\n"})
    given = tmp_path / "deploy" / "values.txt"
    assert list(iter_files([given])) == [(given, "values.txt", None)]


def test_symlinks_are_not_followed(tmp_path: Path) -> None:
    outside, root = tmp_path / "outside", tmp_path / "root"
    _tree(outside, {"secret.yaml": b"a: 1\n"})
    _tree(root, {"real/x.yaml": b"a: 1\n"})
    (root / "out-dir").symlink_to(outside, target_is_directory=True)
    (root / "out-file.yaml").symlink_to(outside / "secret.yaml")
    (root / "in-dir").symlink_to(root / "real", target_is_directory=True)
    (root / "in-file.yaml").symlink_to(root / "real" / "x.yaml")
    (root / "real" / "loop").symlink_to(root, target_is_directory=True)
    assert [rel for rel, _ in _listed([root])] == ["real/x.yaml"]


@pytest.mark.parametrize("given", ["dir", "dir/"], ids=["plain", "trailing-slash"])
def test_paths_are_relative_to_each_root(tmp_path: Path, given: str) -> None:
    _tree(tmp_path, {"dir/apps/a.yaml": b"a: 1\n", "other/b.yaml": b"a: 1\n"})
    paths = [tmp_path / given, tmp_path / "other"]
    assert [rel for rel, _ in _listed(paths)] == ["apps/a.yaml", "b.yaml"]
