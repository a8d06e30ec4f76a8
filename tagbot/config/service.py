"""The sections of tagbot.yaml that `tagbot serve` and notifications read: serve and notify."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from tagbot.config.fields import EnvName
from tagbot.config.sections import Section

SourceKind = Literal[
    "distribution", "harbor", "dockerhub", "github", "quay", "gitlab", "acr", "generic"
]


class Source(Section):
    """One kind of event tagbot serve accepts, at `/v1/events/<name>` (`generic`: `/v1/images`),
    and the env var holding its secret."""

    kind: SourceKind = Field(
        description="`distribution` (CNCF registry notifications), `harbor`, `dockerhub`, "
        "`github` (package events), `quay`, `gitlab`, `acr`, or `generic` (CI)."
    )
    name: str | None = Field(
        default=None,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="The path segment of the endpoint; null: the kind.",
    )
    secret_env: EnvName = Field(
        description="Env var holding the shared secret: the HMAC key (github), the "
        "`X-Gitlab-Token` (gitlab), the `?token=` of the URL (dockerhub, quay), else the "
        "`Authorization` header's value or bearer token."
    )
    registry: str | None = Field(
        default=None,
        min_length=1,
        description="The registry host images of this source live on, as the config repo "
        "writes it; null: read from the payload.",
    )
    exact: bool = Field(
        default=False,
        description="`generic` only: move every reference to the exact IMAGE:TAG given "
        "(`tagbot set` over HTTP), once the registry lists that tag; false: the event is a "
        "hint and the policy picks the tag.",
    )

    @model_validator(mode="after")
    def _exact_is_generic(self) -> Source:
        if self.exact and self.kind != "generic":
            message = "exact works only for kind generic (a CI that names the tag it wants)"
            raise PydanticCustomError("config", "{message}", {"message": message, "field": "exact"})
        return self


class Serve(Section):
    """`tagbot serve`: the sources it accepts, and how it batches events."""

    sources: list[Source] = Field(default=[], description="The event sources accepted.")
    debounce: float = Field(
        default=5.0,
        ge=0,
        le=600,
        description="Seconds without a new event before a batch of images is planned.",
    )
    queue: int = Field(
        default=1000, ge=1, description="Most images waiting at once; more are refused with 429."
    )
    max_body: int = Field(
        default=1048576, ge=1024, description="Largest request body accepted, in bytes."
    )
    refresh: float = Field(
        default=300.0,
        gt=0,
        description="Seconds between re-reads of which images the config repo uses.",
    )

    @model_validator(mode="after")
    def _unique_names(self) -> Serve:
        seen: set[str] = set()
        for source in self.sources:
            name = source.name or source.kind
            if name in seen:
                message = f"two sources are called {name!r}; give one a `name`"
                field = "sources"
                raise PydanticCustomError(
                    "config", "{message}", {"message": message, "field": field}
                )
            seen.add(name)
        return self


class Notify(Section):
    """Notifications on updates published, PRs opened and failures, sent through apprise."""

    urls_env: list[EnvName] = Field(
        default=[],
        description="Env vars holding apprise URLs (`slack://...`, `json://host/path`), "
        "space- or comma-separated; the URLs never live in the file.",
    )
    environment: str | None = Field(
        default=None, min_length=1, description="Shown in every message, e.g. `production`."
    )
