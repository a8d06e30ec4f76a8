"""The terminal progress display: shown only on a TTY, silent otherwise."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

from tagbot import progress


def test_stage_is_a_no_op_without_a_display() -> None:
    progress.stage("nothing listens")  # must not raise or print


def test_not_a_tty_shows_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    with progress.terminal(True):
        progress.stage("listing tags of 3 images")
    assert capsys.readouterr().err == ""


def test_a_tty_shows_the_stage(tmp_path: Path) -> None:
    """On a pseudo-terminal the stage text reaches stderr while the block runs."""
    script = (
        "import time\nfrom tagbot import progress\n"
        "with progress.terminal(True):\n"
        "    progress.stage('listing tags of 7 images')\n    time.sleep(0.5)\n"
    )
    main, secondary = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=secondary, env={**os.environ, "TERM": "xterm", "COLUMNS": "80"},
    )  # fmt: skip
    os.close(secondary)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert proc.wait(timeout=30) == 0
    assert b"listing tags of 7 images" in seen
