"""Where a change goes: the credential, git's auth header, the forge API and the project."""

from __future__ import annotations

import base64
import ipaddress
import re
from urllib.parse import urlsplit

from tagbot import redact
from tagbot.errors import ConfigError
from tagbot.models import GitOptions
from tagbot.provider.credentials import JOB_TOKEN_ENV, env_token, github_app
from tagbot.provider.forges import provider
from tagbot.provider.target import Credential, Target

_SCP = re.compile(r"^(?:[^@/]+@)?(?P<host>[^:/]+):(?P<path>[^/].*)$")
_JOB_USER = "gitlab-ci-token"  # the user GitLab expects with CI_JOB_TOKEN


def token_env(options: GitOptions) -> str | None:
    """The variable the token is read from: `git.token_env`, else the provider's usual one."""
    return options.token_env or provider(options.provider).token_env


def credential_for(options: GitOptions, remote_url: str) -> Credential | None:
    """The configured credential: a GitHub App, a token variable, GitLab CI's job token; None
    when none is set. ConfigError for a half-configured or broken App."""
    if options.app_id_env or options.private_key_env:
        if options.provider != "github" or not (options.app_id_env and options.private_key_env):
            raise ConfigError(
                "git.app_id_env and git.private_key_env go together, with provider github"
            )
        return github_app(
            options.app_id_env, options.private_key_env, api_url(options, remote_url),
            project_for(options, remote_url),
        )  # fmt: skip
    name = token_env(options)
    found = env_token(name) if name else None
    if found is None and options.provider == "gitlab" and not options.token_env:
        found = env_token(JOB_TOKEN_ENV)  # inside GitLab CI: enough for git, not for MRs
    return found


def auth_header(options: GitOptions, url: str, credential: Credential | None) -> str | None:
    """An `Authorization: Basic` header for git over HTTP(S); None without a credential or for ssh."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    redact.register(parts.password)
    if credential is None or parts.username:
        return None  # credentials in the URL win, as they would for a plain `git clone`
    user = _JOB_USER if credential.kind == "job" else provider(options.provider).git_user
    basic = base64.b64encode(f"{user}:{credential.token()}".encode()).decode()
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


def is_local_path(url: str) -> bool:
    """True for a repository given as a path (`../deploy.git`), not a URL or `host:path`."""
    return "://" not in url and split_url(url) == (None, None)


def is_loopback(host: str | None) -> bool:
    """True for `localhost` and loopback addresses."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


def default_api(provider_name: str, host: str | None) -> str:
    """The public API, or the self-hosted one on the clone URL's host."""
    return provider(provider_name).api_url(host)


def api_url(options: GitOptions, remote_url: str) -> str:
    """`git.api_url`, else the API that goes with the clone URL's host."""
    return (options.api_url or default_api(options.provider, split_url(remote_url)[0])).rstrip("/")


def project_for(options: GitOptions, remote_url: str) -> str:
    """`git.project`, else the path of the clone URL; ConfigError when neither says."""
    project = options.project or split_url(remote_url)[1]
    if not project:
        raise ConfigError(
            f"cannot tell the project from {redact.scrub(remote_url)}: set git.project"
        )
    return project


def target_for(
    options: GitOptions, remote_url: str, base: str, credential: Credential | None = None
) -> Target:
    """Resolve the forge endpoint for `options`; ConfigError when the token or project is missing."""
    extras = (options.labels, options.reviewers, options.assignees, options.timeout)
    if options.provider == "git":
        return Target("git", "", split_url(remote_url)[1] or "", None, base, *extras)
    credential = credential or credential_for(options, remote_url)
    if credential is None:
        name = token_env(options)
        raise ConfigError(f"git.provider {options.provider} needs a token: set ${name}")
    project = project_for(options, remote_url)
    return Target(
        options.provider, api_url(options, remote_url), project, credential, base, *extras
    )
