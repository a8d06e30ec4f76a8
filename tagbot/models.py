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
# The options records and the closed sets of the git section live in `options.py`.
from tagbot.options import (  # noqa: E402
    CommitVia,
    Environment,
    GitMode,
    GitOptions,
    Grouping,
    NotifyOptions,
    ProviderName,
    PushTimes,
    RegistryOptions,
    UpdateType,
)

__all__ = [
    "CommitVia",
    "Environment",
    "GitMode",
    "GitOptions",
    "Grouping",
    "NotifyOptions",
    "ProviderName",
    "PushTimes",
    "RegistryOptions",
    "UpdateType",
]

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

    file: str  # relative to the config repository's root
    locator: str
    image: str
    where: str = ""  # the rule in tagbot.yaml, `tagbot.yaml:14: references[1]`, for notes


@dataclass(frozen=True)
class Tag:
    """A tag a registry returned, with its digest and creation time when known."""

    name: str
    digest: str | None = None
    created: datetime | None = None


@dataclass(frozen=True)
class TagTime:
    """When a tag was pushed (or its image built), and where that time came from:
    `push time from Docker Hub`, `image created`; said beside a `min_age` decision."""

    when: datetime
    source: str


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
