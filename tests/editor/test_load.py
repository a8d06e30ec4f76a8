"""tagbot/editor/load.py: one rule for every entry point: what cannot be read is a problem, and a
reference under a duplicate key is reported while the file's other references still count."""

from __future__ import annotations

from pathlib import Path

from tagbot.editor import iter_files, load, textio
from tagbot.models import Problem

FILES = {
    "big.yaml": b"image: nginx:1\n" + b"#" * textio.MAX_BYTES,
    "bin.yaml": b"image: nginx:1\x00\n",
    "chart/Chart.yaml": b"name: x\n",
    "chart/templates/deploy.yaml": b"image: {{ .Values.image }}\n",
    "dup.yaml": b"a:\n  image: nginx:1\n  image: nginx:2\nb:\n  image: redis:7\n",
    "latin1.yaml": b"image: caf\xe9:1\n",
    "ok.yaml": b"image: nginx:1\n",
}


def test_every_file_is_read_or_reported(tmp_path: Path) -> None:
    for name, data in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    loaded = {rel: load(path, rel, skip) for path, rel, skip in iter_files([tmp_path])}
    problems = [p for one in loaded.values() for p in one.problems]
    size = len(FILES["big.yaml"])
    assert problems == [
        Problem("big.yaml", f"skipped: larger than {textio.MAX_BYTES} bytes ({size})"),
        Problem("bin.yaml", "skipped: binary file"),
        Problem("chart/templates/deploy.yaml",
                "skipped: a Helm chart template, not YAML until Helm renders it", level="info"),
        Problem("dup.yaml", "reference at line 2: duplicate key at line 2"),
        Problem("dup.yaml", "reference at line 3: duplicate key at line 3"),
        Problem("latin1.yaml", "skipped: not UTF-8 (byte 10)"),
    ]  # fmt: skip
    assert [o.rewritable for o in loaded["dup.yaml"].occurrences] == [False, False, True]
    assert loaded["ok.yaml"].source == textio.SourceText("image: nginx:1\n")
    assert loaded["big.yaml"].source is None and loaded["big.yaml"].occurrences == ()


def test_a_file_that_changed_since_the_walk_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "gone.yaml"
    found = load(path, "gone.yaml")
    assert found.source is None
    assert found.problems == (
        Problem("gone.yaml", "skipped: unreadable: No such file or directory"),
    )
