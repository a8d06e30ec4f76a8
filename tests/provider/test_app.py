"""GitHub App identity: the JWT, the installation looked up for the repository, installation
tokens minted, refreshed and used for the API and for git over HTTP, against the fake GitHub."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tagbot import redact
from tagbot.errors import ConfigError
from tagbot.provider import open_workspace, preflight, publish
from tests.fakeforge import BareRepo, FakeGitHub
from tests.fakeforge.githubapp import App, AppKey
from tests.provider.conftest import git_options
from tests.provider.helpers import API, Bumper, seen

pytestmark = pytest.mark.integration
APP_ID = 4242


def app_options(fake: FakeGitHub, **overrides: object):
    values: dict[str, object] = {
        "repository": fake.git_url,
        "provider": "github",
        "mode": "pull-request",
        "api_url": fake.url,
        "app_id_env": "TAGBOT_APP_ID",
        "private_key_env": "TAGBOT_APP_KEY",
    }
    values.update(overrides)
    return git_options(fake.repo, **values)


@pytest.fixture
def app(app_key: AppKey, monkeypatch: pytest.MonkeyPatch) -> App:
    monkeypatch.setenv("TAGBOT_APP_ID", str(APP_ID))
    monkeypatch.setenv("TAGBOT_APP_KEY", app_key.private)
    return App(APP_ID, app_key.public)


@pytest.fixture
def fake(remote: BareRepo, app: App) -> Iterator[FakeGitHub]:
    """The fake GitHub with the App installed on acme/config and no plain token at all."""
    with FakeGitHub(remote, token=None, app=app) as running:
        yield running


def open_pr(fake: FakeGitHub, tmp_path: Path, **overrides: object):
    options = app_options(fake, **overrides)
    ws = open_workspace(options, tmp_path / "work")
    preflight(ws, options)
    bumper = Bumper(API, "app:1.0", "app:1.1")
    return publish(ws, options, bumper.changes(ws.root), bumper)


def test_the_app_clones_pushes_and_opens_the_pr_with_one_installation_token(
    fake: FakeGitHub, app: App, tmp_path: Path
):
    result = open_pr(fake, tmp_path)

    [pr] = seen(fake)
    assert result.created and pr.head == "tagbot/app"
    assert "image: app:1.1" in fake.repo.read("tagbot/app", API)  # pushed over HTTP with the token
    assert len(app.tokens) == 1  # minted once, reused for git and the API
    assert app.jwts and all(c["iss"] == str(APP_ID) for c in app.jwts)
    assert all(c["exp"] - c["iat"] <= 660 for c in app.jwts)
    [token] = app.tokens
    assert redact.scrub(f"echoed {token}") == "echoed ***"  # registered as it was minted


def test_installation_tokens_are_refreshed_before_they_expire(
    fake: FakeGitHub, app: App, tmp_path: Path
):
    app.token_lifetime = 10  # inside PyGithub's refresh margin: every use needs a fresh one
    result = open_pr(fake, tmp_path)

    assert result.created
    assert len(app.tokens) > 3  # clone, fetches, push and API calls each got a live token


def test_the_key_may_be_a_mounted_file(
    fake: FakeGitHub, app: App, app_key: AppKey, tmp_path: Path, monkeypatch
):
    key = tmp_path / "app.pem"
    key.write_text(app_key.private)
    monkeypatch.setenv("TAGBOT_APP_KEY", str(key))
    assert open_pr(fake, tmp_path).created


def test_a_key_the_forge_does_not_know_is_refused_before_anything_is_pushed(
    fake: FakeGitHub, app: App, stranger_key: AppKey, tmp_path: Path, monkeypatch
):
    monkeypatch.setenv("TAGBOT_APP_KEY", stranger_key.private)
    refs = fake.repo.refs()
    with pytest.raises(
        ConfigError, match=r"App in \$TAGBOT_APP_ID / \$TAGBOT_APP_KEY was refused \(401\)"
    ):
        open_pr(fake, tmp_path)

    assert fake.repo.refs() == refs and not app.tokens


def test_an_app_not_installed_on_the_repository(fake: FakeGitHub, app: App, tmp_path: Path):
    app.installed_on = {"acme/other"}
    with pytest.raises(ConfigError, match="is not installed on acme/config"):
        open_pr(fake, tmp_path)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"TAGBOT_APP_ID": "my-app"}, r"set \$TAGBOT_APP_ID to the App's numeric id"),
        ({"TAGBOT_APP_KEY": "/nonexistent/app.pem"}, "neither a PEM key nor a readable file"),
        ({"TAGBOT_APP_KEY": "-----BEGIN RSA PRIVATE KEY-----\nnope\n"}, "unencrypted PEM"),
        ({"TAGBOT_APP_KEY": ""}, r"set \$TAGBOT_APP_KEY"),
    ],
    ids=["id-not-numeric", "missing-file", "not-a-key", "empty"],
)
def test_a_broken_app_setting_is_a_config_error(
    fake: FakeGitHub, app: App, tmp_path: Path, monkeypatch, env, message
):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError, match=message) as caught:
        open_pr(fake, tmp_path)
    assert caught.value.exit_code == 2


def test_app_settings_go_together_and_only_with_github(fake: FakeGitHub, app: App, tmp_path):
    with pytest.raises(ConfigError, match="go together"):
        open_pr(fake, tmp_path, private_key_env=None)
    with pytest.raises(ConfigError, match="go together"):
        open_pr(fake, tmp_path, provider="gitlab")
