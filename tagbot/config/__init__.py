"""tagbot.yaml: the Config model, its conversion to records, `load_config` and the JSON Schema."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from tagbot import globs
from tagbot.config import yamlfile
from tagbot.config.environments import EnvironmentSection, check_order
from tagbot.config.fields import Glob
from tagbot.config.records import to_record
from tagbot.config.sections import Defaults, Git, Rule, Section
from tagbot.config.service import Notify, Serve
from tagbot.config.where import ReferenceRule, Registry, RepositoryEntry, rule_sites
from tagbot.config.yamlfile import ConfigIssue
from tagbot.errors import ConfigError
from tagbot.models import (
    Environment,
    GitOptions,
    ImageRef,
    NotifyOptions,
    Occurrence,
    PolicySpec,
    RegistryOptions,
    StatedReference,
)

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_TITLE = "tagbot configuration (tagbot.yaml)"
__all__ = [
    "Config",
    "ConfigIssue",
    "check_config",
    "is_empty",
    "json_schema",
    "load_config",
    "schema_text",
]


class Config(Section):
    """tagbot.yaml: where to publish, which files to read, and which tags each image may take.
    When no `username_env`/`token_env` applies, credentials come from the docker config and its
    credential helpers. Secrets never live in the file."""

    model_config = ConfigDict(title=SCHEMA_TITLE)

    version: Literal[1] = Field(default=1, description="Version of this file's format.")
    git: Git = Field(default=Git(), description="Where and how to publish.")
    include: list[Glob] = Field(
        default=["**/*.yaml", "**/*.yml"],
        description="Globs of files to read, relative to the repository.",
    )
    exclude: list[Glob] = Field(
        default=[], description="Globs of files (or directories) to skip, even when included."
    )
    defaults: Defaults | None = Field(
        default=Defaults(),
        description="Policy for images no rule names (by default semver, any version); "
        "null: leave them alone.",
    )
    images: list[Rule] = Field(default=[], description="Ordered image rules; the first match wins.")
    registries: list[Registry] = Field(
        default=[], description="Registry settings; first match wins."
    )
    deadline: float | None = Field(
        default=None,
        gt=0,
        description="Seconds a run may spend asking registries; images not listed by then are "
        "reported as transient problems and the rest is still published. null: no deadline.",
    )
    references: list[ReferenceRule] = Field(
        default=[],
        description="What a key holds where tagbot cannot tell (an identity it would otherwise "
        "have to guess) or where no convention names it (a tag under `app.version`).",
    )
    repositories: list[RepositoryEntry] = Field(
        default=[],
        description="Config repositories one run updates: each is cloned, planned and published "
        "on its own (its own commits, PRs and problems), and each image is listed once for all "
        "of them. `git` says how to publish to each. Empty: only `git.repository`.",
    )
    serve: Serve = Field(default=Serve(), description="`tagbot serve`: event sources, batching.")
    notify: Notify = Field(default=Notify(), description="Chat and webhook notifications.")
    environments: list[EnvironmentSection] = Field(
        default=[],
        description="Ordered environments (dev, staging, prod): each owns the references in its "
        "`paths`; one with `from` takes only tags that environment has run, after `soak`.",
    )
    _directory: Path | None = PrivateAttr(None)
    _rule_sites: tuple[str, ...] = PrivateAttr(())  # `FILE:LINE: references[i]` of each rule
    # policy_for's answers by image name (the model is frozen, so the rules never change):
    # 10,710 references x 170 rules of globs cost 3.8 s of the 10x scale plan for 1,000 images.
    _policies: dict[tuple[str, str], PolicySpec | None] = PrivateAttr(default_factory=dict)
    _rules: tuple[dict[str, int], list[tuple[int, str]]] | None = PrivateAttr(None)

    @model_validator(mode="after")
    def _environments_in_order(self) -> Config:
        check_order(self.environments)
        return self

    def environment_records(self) -> tuple[Environment, ...]:
        """The environments, in file order."""
        return tuple(e.record() for e in self.environments)

    def git_options(self) -> GitOptions:
        """The provider's options."""
        author = self.git.author
        return to_record(
            GitOptions,
            self.git,
            author_name=author.name,
            author_email=author.email,
            repository=self._resolve_repository(self.git.repository),
        )

    def notify_options(self) -> NotifyOptions:
        """Where notifications go."""
        return to_record(NotifyOptions, self.notify)

    def stated_references(self) -> tuple[StatedReference, ...]:
        """The `references` rules as records, each naming its line in the file."""
        sites = self._rule_sites or ("",) * len(self.references)
        return tuple(
            to_record(StatedReference, rule, where=site)
            for rule, site in zip(self.references, sites, strict=True)
        )

    def repository_options(self) -> tuple[GitOptions, ...]:
        """The options of each repository a run covers: `git` with each entry's repository,
        base branch and project (a relative path made absolute), or `git` alone."""
        base = self.git_options()
        if not self.repositories:
            return (base,)
        return tuple(
            replace(
                base,
                repository=self._resolve_repository(entry.repository),
                base_branch=entry.base_branch,
                project=entry.project,
            )
            for entry in self.repositories
        )

    def registry_options(self) -> tuple[RegistryOptions, ...]:
        """The scanner's options, in file order; `ca_bundle` made absolute."""
        return tuple(
            to_record(RegistryOptions, r, ca_bundle=self._resolve(r.ca_bundle))
            for r in self.registries
        )

    def policy_for(self, image: ImageRef) -> PolicySpec | None:
        """The first matching rule's policy, else the defaults; None: leave the image alone."""
        key = (image.name, image.familiar)
        if key not in self._policies:
            self._policies[key] = self._first_policy(image)
        return self._policies[key]

    def _first_policy(self, image: ImageRef) -> PolicySpec | None:
        literal, globbed = self._rule_index()
        first = min(literal.get(image.name, len(self.images)), literal.get(image.familiar, 1 << 30))
        for index, pattern in globbed:
            if index >= first:
                break
            if globs.match(pattern, image.name) or globs.match(pattern, image.familiar):
                first = index
                break
        if first < len(self.images):
            rule = self.images[first]
            return PolicySpec(kind="pin") if rule.pin else rule.spec()
        return self.defaults.spec() if self.defaults else None

    def _rule_index(self) -> tuple[dict[str, int], list[tuple[int, str]]]:
        """The rules' names: plain ones by name (first index wins), globs in order. Most rules
        name one image: a dictionary lookup, not a regex per rule and image."""
        if self._rules is None:
            literal: dict[str, int] = {}
            globbed: list[tuple[int, str]] = []
            for index, rule in enumerate(self.images):
                if globs.is_literal(rule.name):
                    literal.setdefault(rule.name, index)
                else:
                    globbed.append((index, rule.name))
            self._rules = (literal, globbed)
        return self._rules

    def spec_for(self, occurrence: Occurrence) -> PolicySpec | None:
        """The policy of an occurrence's image; None for an occurrence without one."""
        return self.policy_for(occurrence.image) if occurrence.image else None

    def wants(self, relpath: str) -> bool:
        """True when a file (POSIX path relative to the repository) is included, not excluded."""
        path = relpath.replace("\\", "/").removeprefix("./")
        if not globs.match_any(self.include, path):
            return False
        # An excluded directory excludes everything beneath it.
        parents = [str(p) for p in PurePosixPath(path).parents if str(p) != "."]
        return not any(globs.match_any(self.exclude, p) for p in [path, *parents])

    def _resolve_repository(self, repository: str) -> str:
        """A path (`../deploy.git`) made absolute against the config file, as `ca_bundle` is."""
        from tagbot.provider.remote import is_local_path

        if repository == "." or not is_local_path(repository):
            return repository
        return os.path.normpath(self._resolve(repository) or repository)

    def _resolve(self, path: str | None) -> str | None:
        if path is None or self._directory is None or Path(path).is_absolute():
            return path
        return str(self._directory / path)


def check_config(path: Path) -> tuple[Config | None, tuple[ConfigIssue, ...]]:
    """The config in `path` and every error in it; the config is None when there is any."""
    tree, data, issues = yamlfile.read(path)
    if issues:
        return None, issues
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        return None, yamlfile.issues_from(exc, tree, str(path), Config)
    config._directory = path.parent.absolute()
    config._rule_sites = rule_sites(tree, str(path), len(config.references))
    files = _file_issues(config, tree, str(path))
    return (None, files) if files else (config, ())


def _file_issues(config: Config, tree: Any, file: str) -> tuple[ConfigIssue, ...]:
    """Files the config names that cannot be used: a `ca_bundle` missing or holding no PEM
    certificate is a config error now, not a traceback in the middle of a run."""
    issues = []
    for index, registry in enumerate(config.registries):
        bundle = config._resolve(registry.ca_bundle)
        if bundle is None:
            continue
        problem = _pem_problem(Path(bundle))
        if problem is not None:
            loc = ("registries", index, "ca_bundle")
            line = yamlfile.locate(tree, loc)
            issues.append(ConfigIssue(file, line, yamlfile.key_path(loc), problem))
    return tuple(issues)


def _pem_problem(path: Path) -> str | None:
    """Why `path` is not a PEM bundle of certificates, or None when it is one."""
    try:
        data = path.read_bytes()[: 4 * 1024 * 1024]
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}"
    if b"-----BEGIN CERTIFICATE-----" not in data:
        return f"{path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)"
    import ssl  # only for configs that name a bundle

    try:
        ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, ValueError) as exc:
        return f"{path} is not a usable PEM bundle: {exc}"
    return None


def is_empty(path: Path) -> bool:
    """True when the file holds no settings (only whitespace and comments)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return False
    return all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines())


def load_config(path: Path) -> Config:
    """The config in `path`; raises ConfigError listing every error as FILE:LINE: key: message."""
    config, issues = check_config(path)
    if config is None:
        raise ConfigError("\n".join(str(i) for i in issues))
    return config


def json_schema() -> dict[str, Any]:
    """The JSON Schema of tagbot.yaml, for editors (`# yaml-language-server: $schema=...`)."""
    return {"$schema": SCHEMA_DIALECT, **Config.model_json_schema()}


def schema_text() -> str:
    """The JSON Schema as committed in tagbot.schema.json."""
    return json.dumps(json_schema(), indent=2) + "\n"
