"""A resolved forge endpoint and the credential that reaches it: what every forge call gets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol
from urllib.parse import urlsplit

from tagbot.models import ProviderName

TokenKind = Literal["token", "job", "app"]


class Credential(Protocol):
    """A forge credential: a token now (fresh for an App), and where it came from, for messages."""

    @property
    def kind(self) -> TokenKind:
        """ "token", "job" (GitLab CI's job token) or "app" (a GitHub App)."""
        ...

    @property
    def source(self) -> str:
        """`$GITHUB_TOKEN`, or `the GitHub App in $APP_ID / $KEY`; never the secret."""
        ...

    def token(self) -> str:
        """The token to send now; an App mints or refreshes an installation token first."""
        ...


@dataclass(frozen=True)
class Target:
    """Where proposals go: API URL, project path, credential, base branch and proposal extras."""

    provider: ProviderName
    api_url: str
    project: str
    credential: Credential | None
    base: str
    labels: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    assignees: tuple[str, ...] = ()
    timeout: float = 30.0

    @property
    def token(self) -> str:
        """The credential's token now; "" without one."""
        return self.credential.token() if self.credential else ""

    @property
    def source(self) -> str:
        """Where the credential comes from, for error messages."""
        return self.credential.source if self.credential else "no token"

    @property
    def loopback(self) -> bool:
        """True when the API is on this machine (a test server or a local proxy)."""
        from tagbot.provider.remote import is_loopback

        return is_loopback(urlsplit(self.api_url).hostname)
