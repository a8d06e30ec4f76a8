"""The sections of tagbot.yaml: git, author, image rules, defaults and registries."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tagbot import durations, policy
from tagbot.config.fields import URL, Duration, EnvName, Glob, NonEmpty, Repository, Template
from tagbot.errors import ConfigError
from tagbot.models import (
    CommitVia,
    GitMode,
    Grouping,
    PolicyKind,
    PolicySpec,
    ProviderName,
    TagOrder,
    UpdateType,
)
from tagbot.provider.forges import describe as describe_providers


class Section(BaseModel):
    """Base of every section: unknown keys are errors, scalars keep their YAML type."""

    # strict: YAML already types its scalars, so `yes` never silently becomes True or `1.10` "1.1".
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Author(Section):
    """The name and email tagbot commits as."""

    name: str = Field(
        default="tagbot", min_length=1, description="Commit author and committer name."
    )
    email: str = Field(
        default="tagbot@users.noreply.github.com", min_length=1, description="Commit author email."
    )


class Git(Section):
    """Where tagbot publishes its changes, and how they read."""

    repository: Repository = Field(
        default=".",
        description="`.` for the checkout tagbot runs in, or a clone URL (https, ssh, file). "
        "Credentials never go in the URL: set `token_env`.",
    )
    base_branch: str | None = Field(
        default=None,
        min_length=1,
        description="Branch to start from and propose into; null: the remote's default branch.",
    )
    provider: ProviderName = Field(default="git", description=describe_providers() + ".")
    mode: GitMode = Field(
        default="pull-request",
        description="`pull-request`: one branch (and PR/MR) per change set, updated in place; "
        "`push`: commit straight onto the base branch.",
    )
    author: Author = Field(default=Author(), description="Commit author.")
    commit_message: Template | None = Field(
        default=None,
        description="Commit message template with {image} {from} {to} {count} {images}; "
        "null: the PR title.",
    )
    pr_title: Template | None = Field(
        default=None,
        description="PR/MR title template with {image} {from} {to} {count} {images}; null: "
        "`chore(deps): update {image} to {to}`, or `chore(deps): update {count} images`.",
    )
    pr_body: str | None = Field(
        default=None, description="Text shown above the table of updates in every PR/MR body."
    )
    grouping: Grouping = Field(
        default="per-image",
        description="`per-image`: one change set per image; `all`: one for everything.",
    )
    labels: list[str] = Field(default=[], description="Labels put on every PR/MR.")
    reviewers: list[str] = Field(default=[], description="Users asked to review every PR/MR.")
    assignees: list[str] = Field(default=[], description="Users assigned to every new PR/MR.")
    token_env: EnvName | None = Field(
        default=None,
        description="Name of the environment variable holding the forge token; null: "
        "`GITHUB_TOKEN` or `GITLAB_TOKEN` by provider (GitLab CI: `CI_JOB_TOKEN` when "
        "`GITLAB_TOKEN` is unset; it can push, not open merge requests).",
    )
    app_id_env: EnvName | None = Field(
        default=None,
        description="GitHub App: the variable holding the App's id; with `private_key_env`, "
        "tagbot mints installation tokens for the repository instead of reading `token_env`.",
    )
    private_key_env: EnvName | None = Field(
        default=None,
        description="GitHub App: the variable holding the App's PEM private key, or the path "
        "of a file holding it (a mounted secret).",
    )
    commit_via: CommitVia = Field(
        default="git",
        description="`git`: commit locally and `git push`; `api`: the forge makes each commit "
        "(GitHub GraphQL `createCommitOnBranch`, GitLab commits API), so GitHub marks it "
        "Verified and branch protection requiring signed commits passes.",
    )
    api_url: URL | None = Field(
        default=None,
        description="GitHub Enterprise API URL or self-hosted GitLab URL; null: github.com / gitlab.com.",
    )
    project: str | None = Field(
        default=None,
        min_length=1,
        description="`owner/name` (GitLab: the project path); null: derived from `repository`.",
    )
    branch_prefix: str = Field(
        default="tagbot/", min_length=1, description="Prefix of tagbot's branches."
    )
    push_retries: int = Field(
        default=6,
        ge=0,
        le=20,
        description="How often to fetch, rebase and push again when a push races.",
    )
    automerge: list[UpdateType] = Field(
        default=[],
        description="Update types (`major`, `minor`, `patch`, `digest`) whose PRs get the "
        "forge's auto-merge (GitHub auto-merge, GitLab merge when the pipeline succeeds); "
        "the others wait for a review.",
    )
    push_types: list[UpdateType] = Field(
        default=[],
        description="With `mode: push`, only updates of these types are pushed; the others "
        "become PRs/MRs. Empty: every update is pushed.",
    )
    timeout: float = Field(
        default=300.0,
        gt=0,
        le=3600,
        description="Seconds one git command (clone, fetch, push) may take in total before it "
        "is stopped with an error.",
    )


class _PolicyFields(Section):
    policy: PolicyKind = Field(
        default="semver", description="How tags are ordered and which one wins."
    )
    range: str | None = Field(
        default=None, description="Allowed versions, e.g. `^1.2`, `~1.4`, `>=2 <3`; null: any."
    )
    filter: str | None = Field(
        default=None,
        description="Regular expression a tag must match; named groups feed `extract`.",
    )
    extract: str | None = Field(
        default=None, description="What to compare, built from `filter`'s groups, e.g. `$ts`."
    )
    order: TagOrder | None = Field(
        default=None, description="How extracted values compare; null: the policy's own order."
    )
    ignore: list[NonEmpty] = Field(
        default=[],
        description="Tags never chosen: a glob (`*-rc*`) matches the whole tag, "
        "`/regex/` (or `/regex/i`) searches it.",
    )
    prerelease: bool = Field(default=False, description="Allow pre-releases such as `1.3.0-rc.1`.")
    digest: bool = Field(default=False, description="Pin the digest beside the tag and follow it.")
    min_age: Duration | None = Field(
        default=None,
        description="Cooldown: never pick a tag pushed (or built) less than this long ago, "
        "e.g. `3d`; a tag whose age the registry cannot tell is reported, not taken.",
    )

    def spec(self) -> PolicySpec:
        """The policy record these fields describe."""
        return PolicySpec(
            kind=self.policy,
            range=self.range,
            filter=self.filter,
            extract=self.extract,
            order=self.order,
            ignore=tuple(self.ignore),
            prerelease=self.prerelease,
            pin_digest=self.digest,
            min_age=durations.parse(self.min_age) if self.min_age else None,
        )

    @field_validator("range", "filter", "ignore", mode="after")
    @classmethod
    def _part_builds(cls, value: Any, info: ValidationInfo) -> Any:
        """Each of range, filter and ignore checked on its own, so one bad key never hides
        another's error (`tagbot validate` lists them all)."""
        if not value:
            return value
        kind = info.data.get("policy", "semver")
        field = info.field_name or ""
        spec = PolicySpec(kind=kind)
        if field == "ignore":
            spec = replace(spec, ignore=tuple(value))
        else:
            spec = replace(spec, **{field: value})
        message = _check_policy(spec)
        if message is not None:
            raise PydanticCustomError("config", "{message}", {"message": message})
        return value

    @model_validator(mode="after")
    def _policy_builds(self) -> _PolicyFields:
        message = _check_policy(self.spec())
        if message is not None:
            field = _blame(message)
            raise PydanticCustomError("config", "{message}", {"message": message, "field": field})
        return self


def _blame(message: str) -> str:
    """The key a policy error is about: the field named first in its message, else `policy`."""
    text = message.lower()
    fields = ("range", "filter", "extract", "order", "ignore", "prerelease")
    named = [(text.find(f), f) for f in fields]
    return min(((at, f) for at, f in named if at >= 0), default=(0, "policy"))[1]


class Defaults(_PolicyFields):
    """The policy for images no rule in `images` names; rules do not inherit from it."""


class _ImageName(Section):
    name: Glob = Field(
        description="Glob on the normalised name (`docker.io/library/nginx`) or the familiar one "
        "(`nginx`); `*` stays within one `/` segment, `**` crosses them.",
    )


class Rule(_PolicyFields, _ImageName):
    """One image rule; the first rule whose `name` matches an image decides its policy."""

    pin: bool = Field(default=False, description="Never change these images.")


def _check_policy(spec: PolicySpec) -> str | None:
    """Build the policy so a bad range or regex fails at load; the error message, or None."""
    try:
        policy.build(spec)
    except ConfigError as exc:
        return str(exc)
    return None
