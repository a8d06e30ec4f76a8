"""`tagbot set` end to end: files rewritten, dry run, JSON contract, exit codes, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tagbot import cli

ROOT = Path(__file__).resolve().parents[2]
VALUES = """\
image:
  repository: ghcr.io/acme/api # built by CI
  tag: 1.4.2
"""
DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: web
          image: nginx:1.27.0
        - name: api
          image: "ghcr.io/acme/api:1.4.2"
"""
SHA = "sha256:" + "b" * 64


def run(*args: str) -> int:
    """Run the CLI in-process through its one error boundary; returns the exit code."""
    try:
        cli.main(list(args))
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "apps" / "api").mkdir(parents=True)
    (tmp_path / "apps" / "api" / "values.yaml").write_text(VALUES)
    (tmp_path / "apps" / "web.yaml").write_text(DEPLOY)
    return tmp_path


def _set(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run("set", *args)
    out, err = capsys.readouterr()
    return code, out, err


def test_set_rewrites_every_reference(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _set(capsys, "ghcr.io/acme/api:1.5.0", "-p", str(repo))
    assert (code, err) == (0, "")
    assert (repo / "apps/api/values.yaml").read_text() == VALUES.replace("1.4.2", "1.5.0")
    assert (repo / "apps/web.yaml").read_text() == DEPLOY.replace("api:1.4.2", "api:1.5.0")
    assert out.splitlines() == [
        "apps/api/values.yaml:2: ghcr.io/acme/api:1.4.2 -> 1.5.0",
        "apps/web.yaml:12: ghcr.io/acme/api:1.4.2 -> 1.5.0",
    ]


def test_json_contract(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _set(
        capsys, f"ghcr.io/acme/api:1.5.0@{SHA}", "nginx:1.27.1", "--json", "-p", str(repo)
    )
    assert code == 0
    data = json.loads(out)
    assert data["problems"] == []
    assert data["changes"] == [
        {
            "file": "apps/api/values.yaml",
            "line": 2,
            "image": "ghcr.io/acme/api",
            "from": "1.4.2",
            "to": "1.5.0",
            "digest": SHA,
        },
        {
            "file": "apps/web.yaml",
            "line": 10,
            "image": "docker.io/library/nginx",
            "from": "1.27.0",
            "to": "1.27.1",
            "digest": None,
        },
        {
            "file": "apps/web.yaml",
            "line": 12,
            "image": "ghcr.io/acme/api",
            "from": "1.4.2",
            "to": "1.5.0",
            "digest": SHA,
        },
    ]
    assert f"tag: 1.5.0@{SHA}" in (repo / "apps/api/values.yaml").read_text()


def test_dry_run_prints_diff_and_writes_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _set(capsys, "nginx:1.27.1", "--dry-run", "-p", str(repo))
    assert code == 0
    assert out == (
        "--- a/apps/web.yaml\n+++ b/apps/web.yaml\n@@ -7,6 +7,6 @@\n"
        "     spec:\n       containers:\n         - name: web\n"
        "-          image: nginx:1.27.0\n+          image: nginx:1.27.1\n"
        '         - name: api\n           image: "ghcr.io/acme/api:1.4.2"\n'
    )
    assert (repo / "apps/web.yaml").read_text() == DEPLOY


def test_default_path_is_working_directory(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(repo / "apps")
    code, out, _ = _set(capsys, "nginx:1.27.1")
    assert code == 0 and out == "web.yaml:10: nginx:1.27.0 -> 1.27.1\n"


def test_path_is_repeatable(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    values, web = repo / "apps/api/values.yaml", repo / "apps/web.yaml"
    code, out, _ = _set(capsys, "ghcr.io/acme/api:2.0.0", "-p", str(values), "--path", str(web))
    assert code == 0 and len(out.splitlines()) == 2
    assert "2.0.0" in values.read_text() and "2.0.0" in web.read_text()


def test_unmatched_image_exits_1_and_others_still_set(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _set(capsys, "ghcr.io/acme/missing:1.0", "nginx:1.27.1", "-p", str(repo))
    assert code == 1
    assert "image ghcr.io/acme/missing matched no rewritable reference" in err
    assert "nginx:1.27.1" in (repo / "apps/web.yaml").read_text()


@pytest.mark.parametrize(
    ("arg", "message"),
    [
        ("nginx", "'nginx' has no tag"),
        ("nginx:$(rm)", "invalid tag '$(rm)'"),
        ("Nginx:1", "must be lowercase"),
        ("nginx:1@sha256:abc", "invalid digest"),
    ],
    ids=["no-tag", "hostile-tag", "uppercase", "bad-digest"],
)
def test_malformed_image_exits_2(
    repo: Path, capsys: pytest.CaptureFixture[str], arg: str, message: str
) -> None:
    before = (repo / "apps/web.yaml").read_text()
    code, _, err = _set(capsys, arg, "-p", str(repo))
    assert code == 2 and message in err
    assert (repo / "apps/web.yaml").read_text() == before


def test_unparseable_file_reported_never_written(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = repo / "apps/broken.yaml"
    broken.write_text("image: nginx:1.27.0\nbad: [\n")
    code, out, err = _set(capsys, "nginx:1.27.1", "--json", "-p", str(repo))
    assert code == 1
    problems = json.loads(out)["problems"]
    assert [p["where"] for p in problems] == ["apps/broken.yaml"]
    assert broken.read_text() == "image: nginx:1.27.0\nbad: [\n"
    assert "nginx:1.27.1" in (repo / "apps/web.yaml").read_text()
    assert "apps/broken.yaml" in err


def test_bom_and_mode_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "web.yaml"
    target.write_bytes(b"\xef\xbb\xbf" + DEPLOY.replace("\n", "\r\n").encode())
    os.chmod(target, 0o640)
    code, _, _ = _set(capsys, "nginx:1.27.1", "-p", str(target))
    assert code == 0
    expected = DEPLOY.replace("nginx:1.27.0", "nginx:1.27.1").replace("\n", "\r\n")
    assert target.read_bytes() == b"\xef\xbb\xbf" + expected.encode()
    assert target.stat().st_mode & 0o777 == 0o640


def test_subprocess_end_to_end(repo: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tagbot", "set", "nginx:1.27.1", "ghcr.io/acme/none:1", "--json"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert [c["file"] for c in data["changes"]] == ["apps/web.yaml"]
    assert data["problems"] == [
        {
            "where": "ghcr.io/acme/none",
            "error": "image ghcr.io/acme/none matched no rewritable reference",
            "transient": False,
        }
    ]
    assert "matched no rewritable reference" in proc.stderr
