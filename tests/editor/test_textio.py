"""tagbot/editor/textio.py: reading keeps the BOM and refuses what is not text; writing is atomic,
its temp files are recognisably tagbot's, and stale ones from a killed run are swept."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tagbot.editor import textio
from tagbot.errors import EditError

# A child that stops between writing the temp file and renaming it, as a kill -9 would.
_CHILD = """
import os, sys, time
from pathlib import Path
from tagbot.editor import textio
os.replace = lambda *a: time.sleep(600)
textio.write_atomic(Path(sys.argv[1]), textio.SourceText("image: nginx:1.27\\n"))
"""


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"a\x00b", "binary file"),
        (b"a: caf\xe9\n", r"not UTF-8 \(byte 6\)"),
    ],
    ids=["nul", "latin1"],
)
def test_what_is_not_text_is_refused(tmp_path: Path, data: bytes, error: str) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(data)
    with pytest.raises(EditError, match=f"^{error}$"):
        textio.read(path)


def test_oversized_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\n")
    with pytest.raises(EditError, match=r"^larger than 4 bytes \(5\)$"):
        textio.read(path, max_bytes=4)


def test_bom_round_trip_keeps_mode(tmp_path: Path) -> None:
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: 1\r\n")
    path.chmod(0o640)
    source = textio.read(path)
    assert source == textio.SourceText("a: 1\r\n", bom=True)
    textio.write_atomic(path, textio.SourceText("a: 2\r\n", bom=True))
    assert path.read_bytes() == b"\xef\xbb\xbfa: 2\r\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.yaml"]


def test_kill_9_leaves_a_temp_file_the_next_write_sweeps(tmp_path: Path) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("image: nginx:1.25\n")
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(path)])
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    (left,) = [p for p in tmp_path.iterdir() if p != path]
    assert textio.TEMP_NAME.match(left.name) and left.name.startswith(".values.yaml.tagbot-")
    assert path.read_text() == "image: nginx:1.25\n"  # the file itself is whole
    textio.write_atomic(path, textio.SourceText("image: nginx:1.26\n"))
    assert left.exists()  # young: it may belong to a run still writing
    old = time.time() - textio.STALE_SECONDS - 1
    os.utime(left, (old, old))
    textio.write_atomic(path, textio.SourceText("image: nginx:1.27\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["values.yaml"]


def test_sweep_removes_only_tagbot_names(tmp_path: Path) -> None:
    names = [".a.yaml.tagbot-abc_1234.tmp", ".b.yaml.k2j4h5g6.tagbot", "x.tmp", ".c.yaml.tmp",
             ".d.yaml.tagbot-short.tmp"]  # fmt: skip
    old = time.time() - 3600
    for name in names:
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (old, old))
    removed = textio.sweep(tmp_path)
    assert sorted(p.name for p in removed) == [
        ".a.yaml.tagbot-abc_1234.tmp",
        ".b.yaml.k2j4h5g6.tagbot",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[2:])
