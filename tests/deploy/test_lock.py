"""uv.lock is in step with pyproject.toml, carries hashes, and is what every install path uses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
PACKAGES = {canonicalize_name(p["name"]): p for p in LOCK["package"]}
UV = Path(sys.executable).with_name("uv")


def direct() -> list[tuple[Requirement, str | None]]:
    """Every requirement pyproject.toml declares, with the extra it belongs to (None: always)."""
    project = PYPROJECT["project"]
    found: list[tuple[Requirement, str | None]] = [
        (Requirement(r), None) for r in project["dependencies"]
    ]
    for extra, reqs in project["optional-dependencies"].items():
        found += [(Requirement(r), extra) for r in reqs]
    return found


def _key(name: str, specifier: str, extra: str | None) -> tuple[str, str, str | None]:
    return canonicalize_name(name), str(SpecifierSet(specifier)), extra


def test_the_lock_records_exactly_the_requirements_of_pyproject() -> None:
    # The same question `uv lock --check` asks first: were these the inputs of the resolution?
    recorded = set()
    for entry in PACKAGES["tagbot"]["metadata"]["requires-dist"]:
        extra = re.search(r"extra == '([\w-]+)'", entry.get("marker", ""))
        recorded.add(_key(entry["name"], entry.get("specifier", ""), extra and extra[1]))
    declared = {_key(req.name, str(req.specifier), extra) for req, extra in direct()}
    assert recorded == declared, "uv.lock is stale: run `uv lock`"


def test_every_direct_dependency_is_locked_at_a_version_pyproject_allows() -> None:
    for req, _ in direct():
        locked = PACKAGES.get(canonicalize_name(req.name))
        assert locked is not None, f"{req.name} is not in uv.lock: run `uv lock`"
        assert req.specifier.contains(Version(locked["version"]), prereleases=True), (
            f"uv.lock has {req.name} {locked['version']}, pyproject.toml asks {req.specifier}"
        )


def test_every_locked_artifact_has_a_sha256() -> None:
    registry = [p for p in LOCK["package"] if "registry" in p["source"]]
    assert len(registry) > 30
    for package in registry:
        artifacts = [
            *package.get("wheels", []),
            *([package["sdist"]] if "sdist" in package else []),
        ]
        assert artifacts, package["name"]
        assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", a["hash"]) for a in artifacts), package


def test_uv_agrees_the_lock_is_fresh_without_the_network() -> None:
    # uv's own check, from the lock and the cache setup.sh filled; `uv lock` fixes a failure.
    env = {**os.environ, "UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run(
        [str(UV), "lock", "--check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr


def _uv_pins() -> dict[str, str]:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    action: Any = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
    (install,) = [s for s in action["runs"]["steps"] if s.get("id") == "install"]
    (docker,) = re.findall(r"^ARG UV_VERSION=(\S+)$", dockerfile, re.M)
    return {
        "uv.lock": PACKAGES["uv"]["version"],
        "Dockerfile": docker,
        "action.yml": install["env"]["UV_VERSION"],
    }


def test_every_install_path_uses_the_uv_the_lock_pins() -> None:
    pins = _uv_pins()
    assert len(set(pins.values())) == 1, pins
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert 'if p["name"] == "uv"' in setup and '"uv==$uv_version"' in setup


def test_every_install_path_installs_from_the_lock_without_resolving() -> None:
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    action = (ROOT / "action.yml").read_text(encoding="utf-8")
    assert re.search(r"uv sync .*--frozen .*--extra dev", setup)
    assert "COPY pyproject.toml uv.lock README.md ./" in dockerfile
    assert re.search(r"uv sync --frozen --no-editable", dockerfile)
    assert re.search(r"uv sync .*\n.*--frozen --no-editable", action)
    # Nothing pip-installs tagbot or its dependencies directly any more.
    for text in (setup, dockerfile, action):
        assert not re.search(r"pip install (-\S+ )*(-e )?['\"]?(\.|\$ACTION_PATH)", text)
