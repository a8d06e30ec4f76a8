"""`tagbot scan` end to end: a real process over a small tree, JSON contract and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

FILES = {
    "apps/api/values.yaml": "image:\n  repository: ghcr.io/acme/api\n  tag: 1.2.3\n",
    "apps/web/deploy.yaml": """\
apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      containers:
      - name: web
        image: "nginx:1.25"
      - name: side
        image: "{{ .Values.side }}"
""",
    "kustomization.yaml": "images:\n  - name: redis\n    newTag: '7.2'\n",
    "services.yaml": "apiVersion: v1\nkind: Service\n",
    "README.md": "image: not-yaml:1\n",
}


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tagbot", "scan", *args],
        cwd=cwd, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _field(role: str, line: int, column: int) -> dict[str, Any]:
    return {"role": role, "line": line, "column": column}


EXPECTED = [
    {"file": "apps/api/values.yaml", "kind": "helm-values", "locator": "image", "line": 2,
     "image": "ghcr.io/acme/api", "tag": "1.2.3", "digest": None,
     "fields": [_field("repository", 2, 15), _field("tag", 3, 8)], "skip_reason": None},
    {"file": "apps/web/deploy.yaml", "kind": "manifest",
     "locator": "spec.template.spec.containers[0].image", "line": 8,
     "image": "docker.io/library/nginx", "tag": "1.25", "digest": None,
     "fields": [_field("image", 8, 16)], "skip_reason": None},
    {"file": "apps/web/deploy.yaml", "kind": "manifest",
     "locator": "spec.template.spec.containers[1].image", "line": 10,
     "image": None, "tag": None, "digest": None,
     "fields": [_field("image", 10, 16)], "skip_reason": "templated value"},
    {"file": "kustomization.yaml", "kind": "kustomize", "locator": "images[0]", "line": 2,
     "image": "docker.io/library/redis", "tag": "7.2", "digest": None,
     "fields": [_field("repository", 2, 11), _field("tag", 3, 13)], "skip_reason": None},
]  # fmt: skip


def test_scan_json(tree: Path) -> None:
    result = _run("--json", str(tree), cwd=tree.parent)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"references": EXPECTED, "problems": []}


def test_scan_defaults_to_the_working_directory(tree: Path) -> None:
    result = _run("--json", cwd=tree / "apps")
    files = [r["file"] for r in json.loads(result.stdout)["references"]]
    assert (result.returncode, files) == (
        0,
        ["api/values.yaml", "web/deploy.yaml", "web/deploy.yaml"],
    )


def test_a_file_problem_exits_1_and_keeps_the_rest(tree: Path) -> None:
    (tree / "broken.yaml").write_text("image: a:1\n  b: c\n", encoding="utf-8")
    (tree / "latin1.yaml").write_bytes(b"image: caf\xe9:1\n")
    result = _run("--json", str(tree), cwd=tree)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    assert document["references"] == EXPECTED
    assert document["problems"] == [
        {"where": "broken.yaml", "transient": False,
         "error": "not YAML: mapping values are not allowed in this context at line 2"},
        {"where": "latin1.yaml", "error": "skipped: not UTF-8 (byte 10)", "transient": False},
    ]  # fmt: skip
    assert "tagbot: broken.yaml: not YAML" in result.stderr


def test_templates_are_skipped_at_info_level(tree: Path) -> None:
    (tree / "chart/templates").mkdir(parents=True)
    (tree / "chart/Chart.yaml").write_text("name: x\n", encoding="utf-8")
    (tree / "chart/templates/deploy.yaml").write_text("image: {{ .Values.x }}\n", encoding="utf-8")
    (tree / "loose.yaml").write_text("image: a:1\n  b: {{ .Values.x }}\n", encoding="utf-8")
    result = _run("--json", str(tree), cwd=tree)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["references"] == EXPECTED
    info = "not YAML until it is rendered"
    assert document["problems"] == [
        {"where": "chart/templates/deploy.yaml", "transient": False, "level": "info",
         "error": "skipped: a Helm chart template, not YAML until Helm renders it"},
        {"where": "loose.yaml", "transient": False, "level": "info",
         "error": f"skipped: a Go template, {info}"},
    ]  # fmt: skip
    text = _run(str(tree), cwd=tree)
    assert text.returncode == 0
    assert text.stdout.splitlines()[-1] == "4 references in 3 files, 0 problems"
    assert f"tagbot: info: loose.yaml: skipped: a Go template, {info}" in text.stderr


def test_a_missing_path_exits_2(tree: Path) -> None:
    result = _run(str(tree / "nope"), cwd=tree)
    assert result.returncode == 2
    assert "no such file or directory" in result.stderr and result.stdout == ""


def test_text_table(tree: Path) -> None:
    result = _run(str(tree / "apps"), str(tree / "kustomization.yaml"), cwd=tree)
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert lines[0].split() == ["FILE:LINE", "KIND", "REFERENCE", "SKIPPED"]
    assert lines[1].split() == ["api/values.yaml:2", "helm-values", "ghcr.io/acme/api:1.2.3"]
    assert lines[3].split() == ["web/deploy.yaml:10", "manifest", "-", "templated", "value"]
    assert lines[4].split() == ["kustomization.yaml:2", "kustomize", "redis:7.2"]
    assert lines[-1] == "4 references in 3 files, 0 problems"
