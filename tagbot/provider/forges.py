"""The providers, in the one table every other place reads: name, forge, token and API defaults."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, get_args

from tagbot.errors import ConfigError
from tagbot.models import ChangeSet, FileEdit, ProposalResult, ProviderName
from tagbot.provider import github, gitlab, plain
from tagbot.provider.target import Target


class Forge(Protocol):
    """What a provider does around the branch: check access, commit by API, propose, close."""

    def check(self, target: Target) -> None: ...

    def commit(
        self,
        target: Target,
        branch: str,
        parent: str,
        tip: str | None,
        edits: Sequence[FileEdit],
        message: str,
    ) -> str | None: ...

    def propose(self, target: Target, changes: ChangeSet, pushed: bool) -> ProposalResult: ...

    def close(
        self, target: Target, branches: Sequence[str], comment: str
    ) -> list[ProposalResult]: ...


@dataclass(frozen=True)
class Provider:
    """One provider: its forge, what it opens, its usual token variable and API defaults."""

    forge: Forge
    opens: str  # what a proposal is called there
    token_env: str | None  # the variable read when `git.token_env` is not set
    git_user: str  # the user name git sends with a token (GitHub: x-access-token, GitLab: oauth2)
    public_host: str | None  # the hosted service's git host
    public_api: str | None  # ... and its API
    enterprise_api: str = "https://{host}"  # a self-hosted instance's API on the clone host

    def api_url(self, host: str | None) -> str:
        """The public API, or the self-hosted one on the clone URL's host."""
        if host in (None, self.public_host, f"www.{self.public_host}"):
            return self.public_api or ""
        return self.enterprise_api.format(host=host)


PROVIDERS: dict[ProviderName, Provider] = {
    "git": Provider(plain, "nothing (it only pushes)", None, "x-access-token", None, None),
    "github": Provider(
        github, "pull requests", "GITHUB_TOKEN", "x-access-token", "github.com",
        "https://api.github.com", "https://{host}/api/v3",
    ),
    "gitlab": Provider(
        gitlab, "merge requests", "GITLAB_TOKEN", "oauth2", "gitlab.com", "https://gitlab.com"
    ),
}  # fmt: skip
assert set(PROVIDERS) == set(get_args(ProviderName)), "ProviderName and PROVIDERS disagree"


def provider(name: str) -> Provider:
    """The provider called `name`; ConfigError for an unknown one."""
    for known, entry in PROVIDERS.items():
        if known == name:
            return entry
    choices = ", ".join(sorted(PROVIDERS))
    raise ConfigError(f"unknown git provider {name!r} (known: {choices})")


def describe() -> str:
    """One line for help texts and the config reference: `github` opens pull requests, ..."""
    return "; ".join(f"`{name}` opens {p.opens}" for name, p in PROVIDERS.items())
