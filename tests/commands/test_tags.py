"""`tagbot tags IMAGE` end to end: a real registry, the docker config, exit codes, no secrets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.dockerconfig import auth_entry, write_config
from tests.support.registry import RegistryServer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def anonymous() -> Iterator[RegistryServer]:
    """A registry without login, for this module."""
    with RegistryServer("anonymous") as server:
        yield server


@pytest.fixture(scope="module")
def htpasswd() -> Iterator[RegistryServer]:
    """A registry with Basic auth, for this module."""
    with RegistryServer("htpasswd") as server:
        yield server


@pytest.fixture(scope="module")
def token() -> Iterator[RegistryServer]:
    """A registry with a token server, for this module."""
    with RegistryServer("token") as server:
        yield server


@pytest.fixture
def repo(request: pytest.FixtureRequest) -> str:
    """A repository name of this test's own."""
    return "cli/" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No docker config, no CI tokens: only what a test adds."""
    (tmp_path / "home").mkdir()
    return {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp_path / "home")}


def tagbot(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tagbot", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def docker_login(
    tmp_path: Path, base: dict[str, str], host: str, user: str, password: str
) -> dict[str, str]:
    """`base` plus a docker config logged in to `host`."""
    write_config(tmp_path / "docker", {host: auth_entry(user, password)})
    return {**base, "DOCKER_CONFIG": str(tmp_path / "docker")}


def test_json_lists_tags(anonymous: RegistryServer, repo: str, env: dict[str, str]) -> None:
    with anonymous.seeder() as seeder:
        seeder.push_image(repo, ["1.0", "1.1", "latest"])
    done = tagbot("tags", f"{anonymous.host}/{repo}", "--json", env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data == {
        "image": f"{anonymous.host}/{repo}",
        "tags": data["tags"],
        "selected": None,
        "rejected": [],
    }
    assert sorted(data["tags"]) == ["1.0", "1.1", "latest"]
    assert done.stderr == ""


def test_text_lists_one_tag_per_line(
    htpasswd: RegistryServer, repo: str, env: dict[str, str], tmp_path: Path
) -> None:
    with htpasswd.seeder() as seeder:
        seeder.push_image(repo, ["2.0", "2.1"])
    host = htpasswd.host
    env = docker_login(tmp_path, env, host, "bob", htpasswd.users["bob"])
    done = tagbot("tags", f"{host}/{repo}", env=env)
    assert done.returncode == 0, done.stderr
    assert sorted(done.stdout.splitlines()) == ["2.0", "2.1"]


def test_wrong_password_exits_1_without_leaking_it(
    htpasswd: RegistryServer, repo: str, env: dict[str, str], tmp_path: Path
) -> None:
    host = htpasswd.host
    password = "Wrong-Pa55word-xyz"
    env = docker_login(tmp_path, env, host, "bob", password)
    done = tagbot("--verbose", "tags", f"{host}/{repo}", "--json", env=env)
    assert done.returncode == 1
    message = (
        f"{host}: access to repository '{repo}' refused with the credentials "
        "from docker config (wrong username or password?)"
    )
    assert json.loads(done.stdout) == {"error": {"message": message, "exit_code": 1}}
    assert done.stderr.endswith(f"tagbot: error: {message}\n")
    assert "Traceback" not in done.stderr
    for secret in (password, auth_entry("bob", password)["auth"]):
        assert secret not in done.stderr + done.stdout


def test_missing_repository_exits_1(anonymous: RegistryServer, env: dict[str, str]) -> None:
    done = tagbot("tags", f"{anonymous.host}/no/such/thing", "--json", env=env)
    assert done.returncode == 1
    assert done.stderr == (
        f"tagbot: error: {anonymous.host}: repository 'no/such/thing' not found (NAME_UNKNOWN)\n"
    )


def test_invalid_image_is_a_usage_error(env: dict[str, str]) -> None:
    done = tagbot("tags", "Not/Valid", env=env)
    assert done.returncode == 2
    assert "must be lowercase" in done.stderr


def test_no_token_or_password_in_verbose_json_logs(
    token: RegistryServer, repo: str, env: dict[str, str], tmp_path: Path
) -> None:
    with token.seeder() as seeder:
        seeder.push_image(repo, ["3.0"])
    assert token.token_server is not None
    before = len(token.token_server.issued)
    password = token.users["alice"]
    env = docker_login(tmp_path, env, token.host, "alice", password)
    done = tagbot(
        "--verbose",
        "--log-format",
        "json",
        "tags",
        f"{token.host}/{repo}",
        "--json",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["tags"] == ["3.0"]
    issued = token.token_server.issued[before:]
    assert [i.grant for i in issued] == ["basic"]
    for secret in (password, auth_entry("alice", password)["auth"], issued[0].token):
        assert secret not in done.stderr + done.stdout
    assert "Authorization" not in done.stderr
