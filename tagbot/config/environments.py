"""The `environments:` section: ordered stages that own files and promote from one another."""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from tagbot import durations
from tagbot.config.fields import Duration, Glob, NonEmpty
from tagbot.config.sections import Section
from tagbot.models import Environment, GitMode


class EnvironmentSection(Section):
    """One environment; the first environment whose `paths` match a file owns its references."""

    name: NonEmpty = Field(description="Name used in plans, branches and `--env`, e.g. `prod`.")
    paths: list[Glob] = Field(
        min_length=1,
        description="Globs of the files this environment owns (repository paths); a glob "
        "another environment lists too is an error (one file holds one environment).",
    )
    from_: NonEmpty | None = Field(
        default=None,
        alias="from",
        description="Earlier environment whose tags this one takes (never a tag it has not run); "
        "null: follow the registry by policy.",
    )
    soak: Duration | None = Field(
        default=None,
        description="How long a tag must have run in `from` (measured from the git commit that "
        "put it there) before it comes here, e.g. `24h`, `3d`.",
    )
    mode: GitMode | None = Field(
        default=None, description="Overrides `git.mode` for this environment; null: `git.mode`."
    )
    pin_digest: bool = Field(
        default=False,
        description="Pin the digest the source runs beside the promoted tag, even when the "
        "source pins none (a pinned source digest always travels).",
    )

    model_config = {**Section.model_config, "populate_by_name": True}

    @model_validator(mode="after")
    def _soak_needs_from(self) -> EnvironmentSection:
        if self.soak is not None and self.from_ is None:
            message = "soak needs `from`: it is measured in the environment promoted from"
            raise PydanticCustomError("config", "{message}", {"message": message, "field": "soak"})
        return self

    def record(self) -> Environment:
        """The environment as the pipeline's record."""
        return Environment(
            name=self.name,
            paths=tuple(self.paths),
            source=self.from_,
            soak=durations.parse(self.soak) if self.soak else None,
            mode=self.mode,
            pin_digest=self.pin_digest,
        )


def check_order(environments: Sequence[EnvironmentSection]) -> None:
    """Names are unique and each `from` names an earlier environment; a located error if not."""
    seen: set[str] = set()
    owners: dict[str, str] = {}  # each glob as written -> the environment that lists it first
    for index, env in enumerate(environments):
        if env.name in seen:
            _fail(index, "name", f"environment {env.name!r} is defined twice")
        for at, glob in enumerate(env.paths):
            first = owners.setdefault(glob, env.name)
            if first != env.name:
                why = f"{glob!r} is already {first}'s: a file belongs to the first environment "
                why += "that lists it; one file cannot hold two environments"
                _fail(index, "paths", why, at)
        if env.from_ == env.name:
            _fail(index, "from", "an environment cannot promote from itself")
        if env.from_ is not None and env.from_ not in seen:
            known = ", ".join(sorted(seen)) or "none"
            _fail(index, "from", f"must name an earlier environment, not {env.from_!r} ({known})")
        seen.add(env.name)


def _fail(index: int, key: str, message: str, item: int | None = None) -> None:
    path = ("environments", index) if item is None else ("environments", index, key, item)
    context = {"message": message, "field": key if item is None else None, "path": path}
    raise PydanticCustomError("config", "{message}", context)
