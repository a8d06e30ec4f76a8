"""The options records: how to reach registries, where and how to publish, environments and
notifications, as the config section they come from says (`config/records.to_record`); no I/O.
`tagbot.models` re-exports every name here, so parts import them from `models` as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

# The closed sets of the git section, defined once: config, CLI and providers read these.
ProviderName = Literal["github", "gitlab", "git"]
GitMode = Literal["pull-request", "push"]
Grouping = Literal["per-image", "all"]
# How far an update moves: the first version number that changes, or only the digest.
UpdateType = Literal["major", "minor", "patch", "digest"]
CommitVia = Literal["git", "api"]
# Which registry API tells when a tag was pushed (for `min_age`); `auto`: chosen by host.
PushTimes = Literal["auto", "dockerhub", "quay", "harbor", "github", "none"]


@dataclass(frozen=True)
class RegistryOptions:
    """How to reach one registry host; secrets are named by env var, never held in config."""

    host: str = "*"
    username_env: str | None = None
    password_env: str | None = None
    token_env: str | None = None
    insecure: bool = False
    ca_bundle: str | None = None
    requests_per_second: float | None = None  # a fixed cap; None: adaptive concurrency only
    page_cap: int = 100
    timeout: float = 30.0  # the most one try of a request may take in all, however it trickles
    connect_timeout: float = 5.0
    read_timeout: float = 20.0  # the longest silence while waiting for an answer
    concurrency: int = 16  # the most requests in flight to the host; adaptive below it
    breaker: int = 3  # timeouts or failed connections in a row after which the host is given up
    token_batch: int = 25  # repositories per Bearer token request; 1: one token per repository
    max_tags: int = 100_000  # more tags than this in one repository is a problem
    push_times: PushTimes = "auto"  # the API asked for push times; auto: by host
    push_times_url: str | None = None  # that API's base URL; None: the vendor's own or the host
    push_times_token_env: str | None = None  # env var holding a token for that API


@dataclass(frozen=True)
class Environment:
    """One environment of `environments:`: the files it owns and where its tags come from."""

    name: str
    paths: tuple[str, ...]
    source: str | None = None  # the environment it promotes from; None: follows the registry
    soak: timedelta | None = None  # how long a tag runs in `source` before it may come here
    mode: GitMode | None = None  # overrides `git.mode` for this environment's change sets
    pin_digest: bool = False  # pin the digest the source ran, even when the source pins none


@dataclass(frozen=True)
class GitOptions:
    """Where and how to publish: the repository, the forge, the mode and the commit author."""

    repository: str = "."  # a clone URL, or "." for the local checkout
    base_branch: str | None = None  # None: the remote's default branch
    provider: ProviderName = "git"
    mode: GitMode = "pull-request"
    author_name: str = "tagbot"
    author_email: str = "tagbot@users.noreply.github.com"
    labels: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    token_env: str | None = None  # None: GITHUB_TOKEN or GITLAB_TOKEN by provider
    api_url: str | None = None  # GitHub API base URL or GitLab URL; None: the public service
    project: str | None = None  # `owner/name` or GitLab path; None: derived from `repository`
    branch_prefix: str = "tagbot/"
    push_retries: int = 6
    grouping: Grouping = "per-image"
    commit_message: str | None = None  # title template of commits; None: the PR title's
    pr_title: str | None = None  # None: tagbot's default title
    pr_body: str | None = None  # text shown above the PR body's table
    automerge: tuple[UpdateType, ...] = ()  # PRs of only these types get the forge's auto-merge
    # push mode: only these are pushed, the rest PRs; (): all
    push_types: tuple[UpdateType, ...] = ()
    assignees: tuple[str, ...] = ()
    app_id_env: str | None = None  # GitHub App: the variable holding the App's id
    private_key_env: str | None = None  # ... and the one holding its PEM key or a path to it
    commit_via: CommitVia = "git"  # "api": commits made by the forge (signed, "Verified")
    timeout: float = 300.0  # seconds one git command or forge request may take in total


@dataclass(frozen=True)
class NotifyOptions:
    """Where notifications go: env vars holding apprise URLs (never the URLs themselves)."""

    urls_env: tuple[str, ...] = ()
    environment: str | None = None  # shown in every message, e.g. `production`
