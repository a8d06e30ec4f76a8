"""Frozen records that cross the seams between scanner, policy, editor and provider; no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from tagbot import linediff

Kind = Literal[
    "manifest", "kustomize", "helm-values", "helm-release", "argocd", "compose", "marker"
]
# "switch": a boolean that turns the digest on (`useDigest: true`), kept consistent with it.
Role = Literal["image", "registry", "repository", "tag", "digest", "switch"]
PolicyKind = Literal[
    "semver", "calver", "numerical", "alphabetical", "digest", "newest-build", "pin"
]
TagOrder = Literal["semver", "calver", "numerical", "alphabetical"]
# The closed sets of the git section, defined once: config, CLI and providers read these.
ProviderName = Literal["github", "gitlab", "git"]
GitMode = Literal["pull-request", "push"]
Grouping = Literal["per-image", "all"]
# How far an update moves: the first version number that changes, or only the digest.
UpdateType = Literal["major", "minor", "patch", "digest"]
CommitVia = Literal["git", "api"]

DEFAULT_REGISTRY = "docker.io"


@dataclass(frozen=True)
class ImageRef:
    """A normalised image reference: `nginx` is registry `docker.io`, repository `library/nginx`."""

    registry: str
    repository: str
    tag: str | None = None
    digest: str | None = None
    # How the user wrote the name (`nginx`, `docker.io/nginx`); never part of equality.
    spelling: str | None = field(default=None, compare=False, hash=False, repr=False)

    @property
    def name(self) -> str:
        """The normalised name without tag or digest: `docker.io/library/nginx`."""
        return f"{self.registry}/{self.repository}"

    @property
    def familiar(self) -> str:
        """The shortest familiar spelling of the name: `nginx`, `ghcr.io/acme/api`."""
        if self.registry != DEFAULT_REGISTRY:
            return self.name
        if self.repository.startswith("library/") and self.repository.count("/") == 1:
            return self.repository.removeprefix("library/")
        return self.repository

    def with_version(self, tag: str | None, digest: str | None) -> ImageRef:
        """Return the same image with another tag and digest."""
        return ImageRef(self.registry, self.repository, tag, digest, self.spelling)

    def __str__(self) -> str:
        text = self.familiar
        if self.tag:
            text += f":{self.tag}"
        if self.digest:
            text += f"@{self.digest}"
        return text


@dataclass(frozen=True)
class Field:
    """One scalar that makes up a reference; `start`/`end` span the scalar's source text."""

    role: Role
    value: str
    line: int  # 1-based
    column: int  # 1-based
    start: int  # character index of the scalar (including quotes) in the file text
    end: int
    style: str | None = None  # None (plain), "'", '"', "|", ">"


@dataclass(frozen=True)
class Occurrence:
    """One image reference in one file, made of one or more scalars (`fields`)."""

    path: str
    kind: Kind
    locator: str
    line: int
    image: ImageRef | None
    fields: tuple[Field, ...]
    skip_reason: str | None = None
    # How the identity was found when it is not read from the reference alone: "identity
    # uncertain: ..." (also the skip reason), "stated by config" or the images a shared
    # `global.hub`/`global.tag` moves together.
    identity_note: str | None = None

    @property
    def rewritable(self) -> bool:
        """True when tagbot may change this reference."""
        return self.skip_reason is None and self.image is not None


@dataclass(frozen=True)
class StatedReference:
    """A config rule stating what a key holds: in files matching `file` (a glob), the scalar
    at `locator` (as `scan` prints it) belongs to `image`. It gives an uncertain reference its
    identity, or makes a tag under a non-standard key a reference."""

    file: str
    locator: str
    image: str


@dataclass(frozen=True)
class Tag:
    """A tag a registry returned, with its digest and creation time when known."""

    name: str
    digest: str | None = None
    created: datetime | None = None


@dataclass(frozen=True)
class TagList:
    """Every tag of one repository, as listed once per run."""

    image: ImageRef
    tags: tuple[Tag, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The tag names in registry order."""
        return tuple(t.name for t in self.tags)


@dataclass(frozen=True)
class Rejection:
    """A tag the policy did not pick, and why (`other family`, `pre-release`, ...)."""

    tag: str
    reason: str


@dataclass(frozen=True)
class Selection:
    """What a policy chose from a tag list (None: keep the current tag), and why."""

    selected: str | None
    reason: str
    rejected: tuple[Rejection, ...] = ()
    digest: str | None = None


@dataclass(frozen=True)
class PolicySpec:
    """A policy as configured; `policy.build` validates it and raises ConfigError."""

    kind: PolicyKind = "semver"
    range: str | None = None
    filter: str | None = None
    extract: str | None = None
    order: TagOrder | None = None
    ignore: tuple[str, ...] = ()
    prerelease: bool = False
    pin_digest: bool = False
    min_age: timedelta | None = None  # cooldown: never a tag pushed less than this long ago


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
    max_tags: int = 100_000  # more tags than this in one repository is a problem


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
class Stage:
    """One image in one environment, as the plan sees it: what runs there since when, what it
    could take next (`candidate`), and whether that is eligible now or waits (and why)."""

    image: str
    environment: str | None
    runs: str | None
    since: datetime | None = None
    candidate: str | None = None
    eligible: bool = False
    eligible_at: datetime | None = None
    note: str = ""


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


@dataclass(frozen=True)
class Update:
    """A decision to move one occurrence to a new tag (and digest), with the policy's reason."""

    occurrence: Occurrence
    new_tag: str
    new_digest: str | None = None
    reason: str = ""

    @property
    def old_tag(self) -> str | None:
        """The tag the occurrence has now."""
        return self.occurrence.image.tag if self.occurrence.image else None


@dataclass(frozen=True)
class FileEdit:
    """A file's text before and after applying its updates; `bom` when the file starts with a
    UTF-8 byte-order mark, which `before`/`after` leave out (line endings are kept in both)."""

    path: str
    before: str
    after: str
    updates: tuple[Update, ...] = ()
    bom: bool = False

    @property
    def changed(self) -> bool:
        """True when the edit changes the text."""
        return self.before != self.after

    def diff(self) -> str:
        """A unified diff of the edit, `a/PATH` to `b/PATH` (linear time: tagbot.linediff)."""
        return linediff.unified(self.before, self.after, f"a/{self.path}", f"b/{self.path}")


@dataclass(frozen=True)
class ChangeSet:
    """One commit or one PR/MR: a stable key, its branch, its text and its file edits."""

    key: str
    branch: str
    title: str
    body: str
    edits: tuple[FileEdit, ...]


@dataclass(frozen=True)
class ProposalResult:
    """What publishing a change set did: a PR/MR url and number, or a pushed branch."""

    branch: str
    url: str | None = None
    number: int | None = None
    created: bool = False
    changed: bool = True


@dataclass(frozen=True)
class Problem:
    """Something that failed for one file, image or registry; the run goes on."""

    where: str
    error: str
    transient: bool = False
    # "info": expected and harmless (a Helm template skipped); shown, never a failed run.
    level: Literal["error", "info"] = "error"


@dataclass(frozen=True)
class RunReport:
    """Everything a plan or run found, decided, changed and failed at."""

    references: tuple[Occurrence, ...] = ()
    updates: tuple[Update, ...] = ()
    edits: tuple[FileEdit, ...] = ()
    proposals: tuple[ProposalResult, ...] = ()
    problems: tuple[Problem, ...] = ()
    stages: tuple[Stage, ...] = ()  # per image and environment, when environments or min_age

    @property
    def exit_code(self) -> int:
        """0 when nothing failed, 1 when the report holds an error-level problem."""
        return 1 if any(p.level == "error" for p in self.problems) else 0
