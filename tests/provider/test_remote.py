"""Tokens, clone URLs and provider names: what reaches git and the forges, and what never leaks."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import get_args

import pytest

from tagbot import redact
from tagbot.config import json_schema
from tagbot.errors import ConfigError, GitError
from tagbot.models import GitOptions, ProviderName
from tagbot.provider import PROVIDERS, open_workspace, provider
from tagbot.provider.remote import (
    auth_header,
    credential_for,
    default_api,
    split_url,
    target_for,
)


@pytest.mark.parametrize(
    ("url", "host", "path"),
    [
        ("https://github.com/acme/config.git", "github.com", "acme/config"),
        ("https://gitlab.example.com/group/sub/config", "gitlab.example.com", "group/sub/config"),
        ("ssh://git@github.com/acme/config.git", "github.com", "acme/config"),
        ("git@github.com:acme/config.git", "github.com", "acme/config"),
        ("gitlab.com:group/config.git", "gitlab.com", "group/config"),
        ("https://x-access-token:t0k3n@ghe.acme.io/acme/config", "ghe.acme.io", "acme/config"),
        ("/srv/git/config.git", None, None),
        ("file:///srv/git/config.git", None, "srv/git/config"),
    ],
    ids=["https", "gitlab-subgroup", "ssh-url", "scp", "scp-no-user", "userinfo", "path", "file"],
)
def test_split_url(url: str, host: str | None, path: str | None):
    assert split_url(url) == (host, path)


@pytest.mark.parametrize(
    ("provider_name", "host", "api"),
    [
        ("github", "github.com", "https://api.github.com"),
        ("github", None, "https://api.github.com"),
        ("github", "ghe.acme.io", "https://ghe.acme.io/api/v3"),
        ("gitlab", "gitlab.com", "https://gitlab.com"),
        ("gitlab", "git.acme.io", "https://git.acme.io"),
    ],
    ids=["github", "github-unknown-host", "enterprise", "gitlab", "self-managed"],
)
def test_default_api(provider_name: str, host: str | None, api: str):
    assert default_api(provider_name, host) == api


@pytest.mark.parametrize(
    ("provider_name", "user"), [("github", "x-access-token"), ("gitlab", "oauth2"), ("git", None)]
)
def test_auth_header_user_per_provider(provider_name, user, monkeypatch):
    monkeypatch.setenv("TAGBOT_TEST_TOKEN", "tok-abc-123")
    options = GitOptions(provider=provider_name, token_env="TAGBOT_TEST_TOKEN")

    url = "https://example.com/acme/config.git"
    header = auth_header(options, url, credential_for(options, url))

    expected = base64.b64encode(f"{user or 'x-access-token'}:tok-abc-123".encode()).decode()
    assert header == f"Authorization: Basic {expected}"
    assert redact.scrub(header) == "Authorization: ***"


@pytest.mark.parametrize(
    "url",
    ["git@github.com:acme/config.git", "file:///srv/config.git", "https://u:p@example.com/r.git"],
    ids=["ssh", "file", "credentials-in-url"],
)
def test_no_auth_header_where_git_would_not_use_it(url, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "tok-abc-123")
    options = GitOptions(provider="github")
    assert auth_header(options, url, credential_for(options, url)) is None


def test_target_derives_the_project_and_enterprise_api(monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "tok-abc-123")
    target = target_for(GitOptions(provider="github"), "git@ghe.acme.io:acme/config.git", "main")
    assert (target.api_url, target.project, target.base) == (
        "https://ghe.acme.io/api/v3",
        "acme/config",
        "main",
    )


def test_target_without_a_project_is_a_config_error(monkeypatch):
    monkeypatch.setenv("GITLAB_TOKEN", "tok-abc-123")
    with pytest.raises(ConfigError, match=r"set git\.project"):
        target_for(GitOptions(provider="gitlab"), "/srv/git/config.git", "main")


def test_providers_are_an_explicit_table():
    assert sorted(PROVIDERS) == ["git", "github", "gitlab"]
    with pytest.raises(ConfigError, match="unknown git provider 'gitea'"):
        provider("gitea")


def test_the_config_and_the_records_read_the_one_table():
    schema = json_schema()["$defs"]["Git"]["properties"]["provider"]
    assert set(get_args(ProviderName)) == set(PROVIDERS) == set(schema["enum"])
    assert all(f"`{name}` opens" in schema["description"] for name in PROVIDERS)
    assert {n: p.token_env for n, p in PROVIDERS.items()} == {
        "github": "GITHUB_TOKEN",
        "gitlab": "GITLAB_TOKEN",
        "git": None,
    }


# -- tokens never leak -------------------------------------------------------------------------


@pytest.fixture
def refusing_server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server that records Authorization headers and answers 403 to everything."""
    seen: list[str] = []

    class Refuse(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.headers.get("Authorization", ""))
            self.send_response(403)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Refuse)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/acme/config.git", seen
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.mark.integration
def test_token_goes_to_git_as_a_header_and_never_into_the_error(
    refusing_server, tmp_path: Path, monkeypatch
):
    url, seen = refusing_server
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_SeCrEt-token-42")
    basic = base64.b64encode(b"x-access-token:ghs_SeCrEt-token-42").decode()

    with pytest.raises(GitError) as caught:
        open_workspace(GitOptions(repository=url, provider="github"), tmp_path / "work")

    assert seen and seen[0] == f"Basic {basic}"
    message = str(caught.value)
    assert "403" in message
    assert "ghs_SeCrEt-token-42" not in message and basic not in message


@pytest.mark.integration
def test_token_in_the_url_never_reaches_the_error(tmp_path: Path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"https://x-access-token:ghp_UrLsEcReT99@127.0.0.1:{port}/acme/config.git"

    with pytest.raises(GitError) as caught:
        open_workspace(GitOptions(repository=url, provider="github"), tmp_path / "work")

    assert "ghp_UrLsEcReT99" not in str(caught.value)
    assert f"127.0.0.1:{port}" in str(caught.value)


def test_importing_the_providers_leaves_the_forge_sdks_unloaded():
    code = "import sys, tagbot.provider; print(sorted({'github', 'gitlab'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True, text=True)
    assert out.stdout.strip() == "[]"
