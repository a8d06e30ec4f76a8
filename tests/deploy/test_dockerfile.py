"""Dockerfile and .dockerignore, checked statically: this machine has no Docker daemon to build with.

CI builds and runs the image for real (.github/workflows/ci.yml, job `container`).
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
BUILD_TOOLS = re.compile(r"\b(gcc|g\+\+|clang|build-essential|make|cmake|[\w.+-]+-dev)\b")


@dataclass
class Instruction:
    """One Dockerfile instruction: its keyword (upper case) and the rest of its text."""

    keyword: str
    text: str


def instructions(path: Path) -> list[Instruction]:
    """The instructions of a Dockerfile, continuation lines joined and comments dropped."""
    found: list[Instruction] = []
    pending = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, rest = (pending + line).partition(" ")
        found.append(Instruction(keyword.upper(), rest.strip()))
        pending = ""
    return found


def stages(items: list[Instruction]) -> list[list[Instruction]]:
    """Instructions grouped by stage, each list starting with its FROM."""
    grouped: list[list[Instruction]] = []
    for item in items:
        if item.keyword == "FROM":
            grouped.append([])
        if grouped:
            grouped[-1].append(item)
    return grouped


DOCKERFILE = instructions(ROOT / "Dockerfile")
BUILD, FINAL = stages(DOCKERFILE)


def texts(stage: list[Instruction], keyword: str) -> list[str]:
    """The text of every instruction of that keyword in a stage."""
    return [i.text for i in stage if i.keyword == keyword]


def cronjob_pod() -> dict[str, Any]:
    """The pod spec of the base CronJob."""
    text = (ROOT / "deploy/kubernetes/base/cronjob.yaml").read_text(encoding="utf-8")
    cron = YAML(typ="safe").load(text)
    return cron["spec"]["jobTemplate"]["spec"]["template"]["spec"]


def test_both_stages_share_one_slim_python_base() -> None:
    (arg,) = [i.text for i in DOCKERFILE[: DOCKERFILE.index(BUILD[0])] if i.keyword == "ARG"]
    assert arg == "PYTHON_IMAGE=python:3.12-slim"
    assert BUILD[0].text == "${PYTHON_IMAGE} AS build"
    assert FINAL[0].text == "${PYTHON_IMAGE}"


def test_final_stage_runs_as_the_numeric_user_the_cronjob_expects() -> None:
    (user,) = texts(FINAL, "USER")
    uid, _, gid = user.partition(":")
    pod = cronjob_pod()
    assert uid.isdigit() and int(uid) != 0
    assert pod["securityContext"]["runAsUser"] == int(uid)
    assert pod["securityContext"]["runAsGroup"] == int(gid)
    # USER must be the last word on identity: nothing after it may run as root again.
    after = FINAL[[i.keyword for i in FINAL].index("USER") :]
    assert [i.keyword for i in after if i.keyword in ("RUN", "USER")] == ["USER"]


def test_entrypoint_is_tagbot_in_exec_form() -> None:
    assert [json.loads(t) for t in texts(FINAL, "ENTRYPOINT")] == [["tagbot"]]
    assert [json.loads(t) for t in texts(FINAL, "CMD")] == [["--help"]]


def test_final_stage_installs_no_build_tools() -> None:
    runs = " ".join(texts(FINAL, "RUN"))
    assert BUILD_TOOLS.findall(runs) == []
    words = shlex.split(runs)
    start = words.index("install") + 1
    packages = [w for w in words[start : words.index("&&", start)] if not w.startswith("-")]
    assert packages == ["git", "ca-certificates"]


@pytest.mark.parametrize("stage", ["build", "final"])
def test_apt_installs_are_lean_and_leave_no_lists(stage: str) -> None:
    for run in texts(BUILD if stage == "build" else FINAL, "RUN"):
        if "apt-get install" not in run:
            continue
        assert "apt-get update" in run
        assert "--no-install-recommends" in run
        assert " -y " in run
        assert run.rstrip().endswith("rm -rf /var/lib/apt/lists/*")


def test_final_stage_copies_only_the_built_venv() -> None:
    assert texts(FINAL, "COPY") == ["--from=build /opt/tagbot /opt/tagbot"]
    assert [i for i in DOCKERFILE if i.keyword == "ADD"] == []
    env = dict(w.split("=", 1) for t in texts(BUILD, "ENV") for w in shlex.split(t))
    assert env["UV_PROJECT_ENVIRONMENT"] == "/opt/tagbot"
    assert "uv sync --frozen --no-editable --extra server" in " ".join(texts(BUILD, "RUN"))


def test_environment_suits_a_read_only_root_filesystem() -> None:
    env = dict(w.split("=", 1) for t in texts(FINAL, "ENV") for w in shlex.split(t))
    pod = cronjob_pod()
    (container,) = pod["containers"]
    mounts = {m["mountPath"] for m in container["volumeMounts"]}
    assert env["HOME"] == env["TMPDIR"] == "/tmp"
    assert env["PYTHONDONTWRITEBYTECODE"] == "1"
    assert env["PATH"].startswith("/opt/tagbot/bin:")
    assert texts(FINAL, "WORKDIR") == [container["workingDir"]]
    assert {"/tmp", container["workingDir"]} <= mounts


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's .dockerignore rule: the last pattern matching the path or a parent decides."""
    verdict = False
    parts = path.split("/")
    candidates = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    for pattern in patterns:
        negate = pattern.startswith("!")
        glob = pattern.lstrip("!").strip("/")
        regex = re.escape(glob).replace(r"\*\*/", "(.*/)?").replace(r"\*", "[^/]*")
        regex = regex.replace(r"\?", "[^/]").replace(r"\[", "[").replace(r"\]", "]")
        if any(re.fullmatch(regex, c) for c in candidates):
            verdict = not negate
    return verdict


PATTERNS = [
    line.strip()
    for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("pyproject.toml", False),
        ("uv.lock", False),
        ("README.md", False),
        ("tagbot/cli.py", False),
        ("tagbot/py.typed", False),
        ("tagbot/__pycache__/cli.cpython-312.pyc", True),
        (".git/config", True),
        (".venv/bin/python", True),
        ("tests/__init__.py", True),
        ("deploy/kubernetes/base/cronjob.yaml", True),
        ("tagbot.egg-info/PKG-INFO", True),
    ],
)
def test_dockerignore_keeps_the_context_to_the_package(path: str, expected: bool) -> None:
    assert ignored(path, PATTERNS) is expected


def test_every_copy_source_is_in_the_build_context() -> None:
    sources = [w for t in texts(BUILD, "COPY") for w in t.split()[:-1]]
    assert sources == ["pyproject.toml", "uv.lock", "README.md", "tagbot"]
    package = [p.relative_to(ROOT).as_posix() for p in (ROOT / "tagbot").rglob("*.py")]
    assert package
    for path in [*sources[:3], *package]:
        assert (ROOT / path).exists()
        assert not ignored(path, PATTERNS), path
