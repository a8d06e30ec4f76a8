"""`tagbot validate` and `tagbot schema` end to end, and the generated files kept up to date."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tagbot.config import schema_text

ROOT = Path(__file__).resolve().parents[2]
BAD = """\
version: 1
git:
  provider: bitbucket
registries:
  - host: ghcr.io
    password: hunter2-value
images:
  - policy: semver
"""


def tagbot(
    *args: str, cwd: Path = ROOT, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "TAGBOT_CONFIG"}
    return subprocess.run(
        [sys.executable, "-m", "tagbot", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_valid_example() -> None:
    result = tagbot("validate", "--config", "config.example.yaml")
    assert (result.returncode, result.stdout) == (0, "ok: config.example.yaml\n")


def test_default_file_in_working_directory(tmp_path: Path) -> None:
    (tmp_path / "tagbot.yaml").write_text("version: 1\n", encoding="utf-8")
    result = tagbot("validate", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "ok: tagbot.yaml\n")


def test_config_from_environment(bad: Path) -> None:
    result = tagbot("validate", env={"TAGBOT_CONFIG": str(bad)})
    assert result.returncode == 2
    assert result.stdout.startswith(f"{bad}:3: git.provider: ")


def test_every_error_with_key_and_line(bad: Path) -> None:
    result = tagbot("validate", "-c", str(bad))
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        f"{bad}:3: git.provider: must be 'github', 'gitlab' or 'git'",
        f"{bad}:6: registries[0].password: secrets never live in the file: use password_env",
        f"{bad}:8: images[0].name: required key is missing",
    ]
    assert "hunter2" not in result.stdout + result.stderr


def test_json_errors(bad: Path) -> None:
    result = tagbot("validate", "-c", str(bad), "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout) == {
        "valid": False,
        "file": str(bad),
        "errors": [
            {"line": 3, "key": "git.provider", "message": "must be 'github', 'gitlab' or 'git'"},
            {
                "line": 6,
                "key": "registries[0].password",
                "message": "secrets never live in the file: use password_env",
            },
            {"line": 8, "key": "images[0].name", "message": "required key is missing"},
        ],
    }


def test_json_valid() -> None:
    result = tagbot("validate", "-c", "config.example.yaml", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == {
        "valid": True,
        "file": "config.example.yaml",
        "errors": [],
    }


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_missing_file(tmp_path: Path, as_json: bool) -> None:
    result = tagbot("validate", *(["--json"] if as_json else []), cwd=tmp_path)
    assert result.returncode == 2
    if as_json:
        error = {"line": None, "key": "", "message": "no such file"}
        assert json.loads(result.stdout)["errors"] == [error]
    else:
        assert result.stdout == "tagbot.yaml: no such file\n"


def test_schema_command_prints_committed_schema() -> None:
    result = tagbot("schema")
    assert result.returncode == 0
    assert result.stdout == (ROOT / "tagbot.schema.json").read_text(encoding="utf-8")
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "tagbot configuration (tagbot.yaml)"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {
        "version", "git", "include", "exclude", "defaults", "images", "registries", "deadline",
        "repositories", "references", "serve", "notify", "environments",
    }  # fmt: skip
    # Every key carries a description: editors show it and the reference is built from it.
    for name, definition in schema["$defs"].items():
        for key, prop in definition["properties"].items():
            assert prop.get("description"), f"{name}.{key} has no description"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_config_docs", ROOT / "scripts/gen_config_docs.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_schema_is_up_to_date() -> None:
    committed = (ROOT / "tagbot.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), "run scripts/gen_config_docs.py"


def test_committed_reference_is_up_to_date() -> None:
    generated = _generator().outputs()[ROOT / "docs/configuration.md"]
    committed = (ROOT / "docs/configuration.md").read_text(encoding="utf-8")
    assert committed == generated, "run scripts/gen_config_docs.py"
