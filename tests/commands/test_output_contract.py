"""What machines read: JSON lines on stderr, one JSON document on stdout, exit 2 before any
edit for setup errors, help without type names, global options anywhere, counted nouns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = "containers:\n  - name: web\n    image: nginx:1.25.0 # web\n"


def tagbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TAGBOT_")}
    env.update({"COLUMNS": "200", "NO_COLOR": "1"})
    return subprocess.run(
        [sys.executable, "-m", "tagbot", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "web.yaml").write_text(DEPLOY)
    (tmp_path / "binary.yaml").write_bytes(b"image: nginx:1\x00")
    return tmp_path


def json_lines(stderr: str) -> list[dict[str, object]]:
    """Every stderr line, each parsed as one JSON object (fails on any other line)."""
    return [json.loads(line) for line in stderr.splitlines()]


def test_every_stderr_line_of_a_failing_set_is_json(tree: Path) -> None:
    done = tagbot("--log-format", "json", "set", "redis:7", "-p", ".", "--json", cwd=tree)
    assert done.returncode == 1
    lines = json_lines(done.stderr)
    assert {(line["where"], line["level"]) for line in lines} == {
        ("binary.yaml", "error"),
        ("docker.io/library/redis", "error"),
    }
    assert json.loads(done.stdout)["changes"] == []


def test_global_options_work_after_the_command(tree: Path) -> None:
    done = tagbot("scan", ".", "--log-format", "json", "--verbose", cwd=tree)
    assert done.returncode == 1
    assert [line["where"] for line in json_lines(done.stderr)] == ["binary.yaml"]
    assert done.stdout.rstrip().endswith("1 reference in 1 file, 1 problem")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["scan", "missing", "--json"], "no such file or directory: missing"),
        (["scan", "--json", "--bogus"], "No such option: --bogus"),
        (["set", "nginx:1", "-p", "missing", "--json"], "no such file or directory: missing"),
        (["plan", "--json", "-c", "nope.yaml"], "nope.yaml: no such file"),
    ],
    ids=["scan-missing-path", "usage", "set-missing-path", "missing-config"],
)
def test_json_failure_is_one_document_on_stdout(
    tmp_path: Path, args: list[str], message: str
) -> None:
    done = tagbot(*args, cwd=tmp_path)
    assert done.returncode == 2
    assert json.loads(done.stdout) == {"error": {"message": message, "exit_code": 2}}


def test_json_logs_carry_fatal_errors_too(tmp_path: Path) -> None:
    done = tagbot("--log-format", "json", "scan", "missing", cwd=tmp_path)
    assert done.returncode == 2
    [line] = json_lines(done.stderr)
    assert (line["level"], line["message"], line["exit_code"]) == (
        "error",
        "no such file or directory: missing",
        2,
    )


def test_set_commit_without_origin_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(DEPLOY)
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True, env={**os.environ, **env})
    done = tagbot("set", "nginx:1.27.0", "--commit", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "cannot open the config repository" in done.stderr
    assert (tmp_path / "web.yaml").read_text() == DEPLOY


@pytest.mark.parametrize("command", ["", "set", "tags", "scan", "plan", "run", "validate"])
def test_help_shows_no_python_type_names(tmp_path: Path, command: str) -> None:
    done = tagbot(*([command] if command else []), "--help", cwd=tmp_path)
    assert done.returncode == 0
    for raw in ("<bool>", "<str>", "<list[", "<path>", "{image}", "<int>"):
        assert raw not in done.stdout, (command, raw)


def test_version_takes_no_value(tmp_path: Path) -> None:
    done = tagbot("--version", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("tagbot ")


@pytest.mark.parametrize(
    "repository",
    [".", "../nope.git", "file:///nonexistent/x.git"],
    ids=["no-origin", "path", "url"],
)
def test_run_that_cannot_open_its_repository_exits_2(tmp_path: Path, repository: str) -> None:
    work = tmp_path / "job"
    work.mkdir()
    (work / "web.yaml").write_text(DEPLOY)
    (work / "tagbot.yaml").write_text(
        f"git: {{repository: '{repository}', provider: git, mode: push}}\n"
    )
    env = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", "init", "-q", str(work)], check=True, env={**os.environ, **env})
    done = tagbot("run", "--json", cwd=work)
    assert done.returncode == 2, done.stderr
    assert "cannot open the config repository" in json.loads(done.stdout)["error"]["message"]
    assert (work / "web.yaml").read_text() == DEPLOY


def test_special_files_are_problems_not_hangs(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for target in ("/dev/zero", str(fifo)):
        done = tagbot("scan", target, "--json", cwd=tmp_path)
        assert done.returncode == 1
        [problem] = json.loads(done.stdout)["problems"]
        assert problem["error"] == "skipped: not a regular file"


def test_control_characters_in_names_are_escaped(tmp_path: Path) -> None:
    (tmp_path / "evil\x1b[31m.yaml").write_text(DEPLOY)
    done = tagbot("scan", ".", cwd=tmp_path)
    assert "\x1b" not in done.stdout and "evil\\x1b[31m.yaml:3" in done.stdout
