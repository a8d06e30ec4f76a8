"""Where a change goes: the token from the environment, git's auth header, the forge API and project."""

from __future__ import annotations

import base64
import ipaddress
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from tagbot import redact
from tagbot.errors import ConfigError
from tagbot.models import GitOptions

DEFAULT_TOKEN_ENV = {"github": "GITHUB_TOKEN", "gitlab": "GITLAB_TOKEN"}
# GitHub documents `x-access-token` for installation and Actions tokens; GitLab wants `oauth2`.
_TOKEN_USER = {"gitlab": "oauth2"}
_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>[^/].*)$")


@dataclass(frozen=True)
class Target:
    """A resolved forge endpoint: API URL, project path, token, base branch, labels, reviewers."""

    provider: str
    api_url: str
    project: str
    token: str
    base: str
    labels: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()

    @property
    def loopback(self) -> bool:
        """True when the API is on this machine (a test server or a local proxy)."""
        return is_loopback(urlsplit(self.api_url).hostname)


def read_token(options: GitOptions) -> str | None:
    """The token from `options.token_env`, or the provider's usual variable; None when unset."""
    name = options.token_env or DEFAULT_TOKEN_ENV.get(options.provider)
    token = os.environ.get(name) if name else None
    redact.register(token)
    return token or None


def auth_header(options: GitOptions, url: str) -> str | None:
    """An `Authorization: Basic` header for git over HTTP(S); None without a token or for ssh."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    redact.register(parts.password)
    token = read_token(options)
    if not token or parts.username:
        return None  # credentials in the URL win, as they would for a plain `git clone`
    user = _TOKEN_USER.get(options.provider, "x-access-token")
    basic = base64.b64encode(f"{user}:{token}".encode()).decode()
    redact.register(basic)
    return f"Authorization: Basic {basic}"


def split_url(url: str) -> tuple[str | None, str | None]:
    """The host and project path (`acme/config`) of a clone URL; None for what cannot be known."""
    if "://" in url:
        parts = urlsplit(url)
        path = parts.path.strip("/").removesuffix(".git")
        return parts.hostname, path or None
    match = _SCP.match(url)
    if not match or "/" in match["host"]:
        return None, None
    return match["host"], match["path"].strip("/").removesuffix(".git") or None


def is_loopback(host: str | None) -> bool:
    """True for `localhost` and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def default_api(provider: str, host: str | None) -> str:
    """The public API, or the self-hosted one on the clone URL's host."""
    if provider == "github":
        if host in (None, "github.com", "www.github.com"):
            return "https://api.github.com"
        return f"https://{host}/api/v3"
    return f"https://{host or 'gitlab.com'}"


def target_for(options: GitOptions, remote_url: str, base: str) -> Target:
    """Resolve the forge endpoint for `options`; ConfigError when the token or project is missing."""
    host, path = split_url(remote_url)
    if options.provider == "git":
        return Target("git", "", path or "", "", base, options.labels, options.reviewers)
    token = read_token(options)
    if token is None:
        name = options.token_env or DEFAULT_TOKEN_ENV[options.provider]
        raise ConfigError(f"git.provider {options.provider} needs a token: set ${name}")
    project = options.project or path
    if not project:
        raise ConfigError(
            f"cannot tell the project from {redact.scrub(remote_url)}: set git.project"
        )
    api_url = (options.api_url or default_api(options.provider, host)).rstrip("/")
    return Target(
        options.provider, api_url, project, token, base, options.labels, options.reviewers
    )
