"""The one error boundary: 0, 1 reported problems, 2 usage/config, 3 a bug, 130 interrupted."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tagbot import cli, pipeline


@pytest.fixture
def black_hole() -> Iterator[int]:
    """A TCP port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    try:
        yield server.getsockname()[1]
    finally:
        server.close()


def test_an_unexpected_error_exits_3_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("token=hunter2 something broke")

    monkeypatch.setattr(pipeline, "discover", broken)
    with pytest.raises(SystemExit) as exited:
        cli.main(["scan", str(tmp_path)])
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert err.startswith("tagbot: unexpected error (a bug in tagbot; rerun with --traceback")
    assert "RuntimeError: token=hunter2 something broke" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_traceback_flag_shows_the_stack_and_keeps_the_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "discover", broken)
    with pytest.raises(SystemExit) as exited:
        cli.main(["--traceback", "scan", str(tmp_path), "--json"])
    assert exited.value.code == 3
    out, err = capsys.readouterr()
    assert err.startswith("Traceback (most recent call last):") and "RuntimeError: boom" in err
    assert json.loads(out)["error"]["exit_code"] == 3
    with pytest.raises(SystemExit) as exited:  # a config error stays exit 2 with --traceback
        cli.main(["--traceback", "scan", str(tmp_path / "missing")])
    assert exited.value.code == 2


def test_usage_and_config_errors_exit_2(tmp_path: Path) -> None:
    for args in (
        ["scan", "--bogus"],
        ["scan", str(tmp_path / "missing")],
        ["tags", "x", "--policy", "no"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "tagbot", *args], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2, (args, done.stderr)


def test_ctrl_c_exits_130(black_hole: int, tmp_path: Path) -> None:
    config = tmp_path / "tagbot.yaml"
    config.write_text(f"registries:\n  - host: '127.0.0.1:{black_hole}'\n    insecure: true\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tagbot", "tags", f"127.0.0.1:{black_hole}/app", "-c", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(2.0)  # started, and waiting on the registry that never answers
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.strip().endswith("tagbot: interrupted")
