"""The sections of tagbot.yaml that say where to look: `registries`, `references` rules and
`repositories`."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, model_validator
from pydantic_core import PydanticCustomError

from tagbot.config import yamlfile
from tagbot.config.fields import URL, EnvName, Glob, NonEmpty, Repository
from tagbot.config.sections import Section
from tagbot.errors import TagbotError
from tagbot.models import PushTimes


def _from_root(value: str) -> str:
    """A glob of paths from the repository root: `./` dropped; `/` or `..` could never match."""
    while value.startswith("./"):
        value = value[2:]
    if value.startswith("/"):
        raise ValueError("paths are relative to the repository root: drop the leading /")
    if ".." in value.split("/"):
        raise ValueError("paths are relative to the repository root: `..` leaves it")
    if not value:
        raise ValueError("names no file")
    return value


RepositoryGlob = Annotated[Glob, AfterValidator(_from_root)]


class ReferenceRule(Section):
    """What a key holds when tagbot cannot tell, or when no convention names it."""

    file: RepositoryGlob = Field(
        description="Glob of the files the rule applies to, relative to the config repository's "
        "root whatever the command and directory, e.g. `charts/*/values.yaml`."
    )
    locator: NonEmpty = Field(
        description="Where, as `tagbot scan` prints it: `hub.image`, `app.version`, "
        "`doc[2]:spec.image`."
    )
    image: NonEmpty = Field(
        description="The image pulled from there (a name without tag): gives an `identity "
        "uncertain` reference its identity, or makes the tag at `locator` a reference to it."
    )

    @model_validator(mode="after")
    def _parses(self) -> ReferenceRule:
        from tagbot.editor.named import parse_locator
        from tagbot.imageref import parse_name

        for field, check in (("locator", parse_locator), ("image", parse_name)):
            try:
                check(getattr(self, field))
            except TagbotError as exc:
                raise PydanticCustomError(
                    "config", "{message}", {"message": str(exc), "field": field}
                ) from None
        return self


def rule_sites(tree: Any, file: str, count: int) -> tuple[str, ...]:
    """Where each of the `references` rules is: `tagbot.yaml:14: references[1]`."""
    return tuple(
        f"{file}:{yamlfile.locate(tree, ('references', i))}: references[{i}]" for i in range(count)
    )


class RepositoryEntry(Section):
    """One more config repository that the same run updates, with its own commits and PRs."""

    repository: Repository = Field(
        description="Clone URL (https, ssh, file) or path; relative to this file."
    )
    base_branch: str | None = Field(
        default=None, min_length=1, description="Branch to start from; null: the remote's default."
    )
    project: str | None = Field(
        default=None,
        min_length=1,
        description="`owner/name` (GitLab: the project path); null: derived from `repository`.",
    )


class Registry(Section):
    """How to reach the registries whose host matches `host`; the first match wins."""

    host: Glob = Field(description="Host glob, e.g. `ghcr.io`, `*.dkr.ecr.*.amazonaws.com`.")
    username_env: EnvName | None = Field(default=None, description="Env var holding the user name.")
    password_env: EnvName | None = Field(default=None, description="Env var holding the password.")
    token_env: EnvName | None = Field(
        default=None, description="Env var holding a bearer token (instead of user and password)."
    )
    insecure: bool = Field(default=False, description="Speak plain HTTP or accept any certificate.")
    ca_bundle: str | None = Field(
        default=None,
        min_length=1,
        description="PEM file of extra CAs; relative to the config file.",
    )
    requests_per_second: float | None = Field(
        default=None,
        gt=0,
        description="A fixed request rate cap for the host; null: none, the number of requests "
        "in flight adapts to the host's answers (429, Retry-After, RateLimit headers).",
    )
    concurrency: int = Field(
        default=16, ge=1, le=256, description="Most requests in flight to the host at once."
    )
    page_cap: int = Field(
        default=100, ge=1, description="Most pages of tags to read per repository."
    )
    max_tags: int = Field(
        default=100_000,
        ge=1,
        description="Most tags a repository may have; a bigger one is reported, not listed.",
    )
    timeout: float = Field(
        default=30.0,
        gt=0,
        description="Seconds one try of a request may take in all, however slowly it trickles.",
    )
    connect_timeout: float = Field(
        default=5.0, gt=0, description="Seconds to wait for a connection to open."
    )
    read_timeout: float = Field(
        default=20.0,
        gt=0,
        description="Seconds of silence to wait for while a request is answered.",
    )
    breaker: int = Field(
        default=3,
        ge=1,
        description="Timeouts or failed connections in a row after which the host's other "
        "images fail at once for the rest of the run (a failed `/v2/` ping counts as all of them).",
    )
    token_batch: int = Field(
        default=25,
        ge=1,
        le=100,
        description="Repositories named in one Bearer token request (repeated `scope`, as "
        "distribution's token spec allows), so a run asks a token server about 1/25 as often; "
        "1: one token per repository.",
    )

    push_times: PushTimes = Field(
        default="auto",
        description="The API that says when a tag was pushed, for `min_age`: `dockerhub`, "
        "`quay`, `harbor`, `github` (GHCR through the GitHub packages API) or `none`; `auto`: "
        "by host (docker.io, quay.io, ghcr.io; none elsewhere). Without an answer from it, a "
        "tag's age is its image config's `created`.",
    )
    push_times_url: URL | None = Field(
        default=None,
        description="Base URL of that API (GitHub Enterprise `https://ghe.example.com/api/v3`, "
        "a Harbor or Quay behind another name); null: hub.docker.com, api.github.com, or the "
        "registry's own host for Quay and Harbor.",
    )
    push_times_token_env: EnvName | None = Field(
        default=None,
        description="Env var holding a token for that API (Docker Hub JWT or access token, Quay "
        "OAuth token, GitHub token with read:packages); null: the registry's login (Harbor Basic "
        "auth, a Docker Hub login, the ghcr.io password or GITHUB_TOKEN), else anonymous.",
    )

    @model_validator(mode="after")
    def _push_times_used(self) -> Registry:
        if self.push_times != "none":
            return self
        for field in ("push_times_url", "push_times_token_env"):
            if getattr(self, field) is not None:
                message = f"push_times is none: {field} would never be used"
                raise PydanticCustomError(
                    "config", "{message}", {"message": message, "field": field}
                )
        return self

    @model_validator(mode="after")
    def _pairs(self) -> Registry:
        if bool(self.username_env) != bool(self.password_env):
            field = "password_env" if self.username_env else "username_env"
            message = "username_env and password_env go together"
            raise PydanticCustomError("config", "{message}", {"message": message, "field": field})
        return self
