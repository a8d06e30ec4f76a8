"""Forge credentials: a token from the environment, or a GitHub App's installation token that
PyGithub mints for the repository and refreshes before it expires."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tagbot import redact
from tagbot.errors import ConfigError
from tagbot.provider.target import TokenKind

if TYPE_CHECKING:
    from github.Auth import AppInstallationAuth

JOB_TOKEN_ENV = "CI_JOB_TOKEN"  # GitLab CI's job token: git transport only, no MR API


@dataclass(frozen=True)
class EnvToken:
    """A token read from an environment variable; `kind` "job" for GitLab's CI job token."""

    value: str = field(repr=False)
    env: str
    kind: TokenKind = "token"

    @property
    def source(self) -> str:
        """`$NAME`."""
        return f"${self.env}"

    def token(self) -> str:
        """The token."""
        return self.value


@dataclass
class GitHubApp:
    """A GitHub App installed on `project`: installation tokens for the API and git transport."""

    app_id: str
    private_key: str = field(repr=False)
    api_url: str
    project: str
    source: str
    kind: TokenKind = "app"
    _auth: AppInstallationAuth | None = field(default=None, repr=False)

    def token(self) -> str:
        """The installation token, minted on first use and again shortly before it expires."""
        token = str(self.auth().token)
        redact.register(token)
        return token

    def auth(self) -> AppInstallationAuth:
        """PyGithub's installation auth for the repository (looked up once, with the App's JWT)."""
        if self._auth is None:
            self._auth = _installation(self)
        return self._auth


def env_token(name: str) -> EnvToken | None:
    """The token in variable `name`; None when it is unset or empty."""
    value = os.environ.get(name) or None
    redact.register(value)
    if value is None:
        return None
    return EnvToken(value, name, "job" if name == JOB_TOKEN_ENV else "token")


def github_app(app_id_env: str, key_env: str, api_url: str, project: str) -> GitHubApp:
    """The App named by `app_id_env` with the PEM key (or a path to it) in `key_env`."""
    source = f"the GitHub App in ${app_id_env} / ${key_env}"
    app_id = (os.environ.get(app_id_env) or "").strip()
    if not app_id.isdigit():
        raise ConfigError(f"{source}: set ${app_id_env} to the App's numeric id")
    return GitHubApp(app_id, _private_key(key_env), api_url, project, source)


def _private_key(name: str) -> str:
    value = (os.environ.get(name) or "").strip()
    if not value:
        raise ConfigError(f"git.private_key_env: set ${name} to the App's PEM key or its path")
    if not value.startswith("-----BEGIN"):
        try:
            value = Path(value).read_text().strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"${name} is neither a PEM key nor a readable file: {exc}") from None
    if "\n" not in value:
        value = value.replace("\\n", "\n")  # a key pasted into a one-line secret
    redact.register(value)
    from github import Auth

    try:  # sign once with PyGithub's own signer: whatever it cannot use is not an App key
        Auth.AppAuth("1", value).create_jwt()
    except Exception:
        raise ConfigError(f"${name} does not hold an unencrypted PEM private key") from None
    return value


def _installation(app: GitHubApp) -> AppInstallationAuth:
    from github import Auth, GithubException, GithubIntegration

    from tagbot.errors import ProviderError

    class Registered(Auth.AppInstallationAuth):
        """Registers every token it mints with the redactor, before anything can echo it."""

        @property
        def token(self) -> str:
            token = str(super().token)
            redact.register(token)
            return token

    class RegisteredApp(Auth.AppAuth):
        """Registers every JWT it signs (a bearer credential for ten minutes) with the redactor."""

        def create_jwt(self, expiration: int | None = None) -> str:
            token = str(super().create_jwt(expiration))
            redact.register(token)
            return token

    app_auth = RegisteredApp(app.app_id, app.private_key)
    spacing: dict[str, Any] = {"seconds_between_requests": None, "seconds_between_writes": None}
    integration = GithubIntegration(auth=app_auth, base_url=app.api_url, retry=None, **spacing)
    owner, _, name = app.project.partition("/")
    try:
        installation = integration.get_repo_installation(owner, name)
        auth = Registered(app_auth, installation.id, None, integration.requester)
        auth.token  # noqa: B018  (mint now: a refused App fails here, before anything is pushed)
    except GithubException as exc:
        what = "is not installed on" if exc.status == 404 else f"was refused ({exc.status}) for"
        raise ConfigError(f"{app.source} {what} {app.project}") from None
    except OSError as exc:  # requests' ConnectionError is an OSError
        raise ProviderError(redact.scrub(f"GitHub unreachable: {exc}")) from None
    return auth
