"""The one error tree; only `cli.py` turns these into messages and exit codes."""

from __future__ import annotations


class TagbotError(Exception):
    """Base of every error tagbot raises on purpose; its message is safe to print."""

    exit_code = 1


class ConfigError(TagbotError):
    """Raised for a bad config file, option or policy setting (exit 2)."""

    exit_code = 2


class InvalidReference(TagbotError):
    """Raised when a string is not a valid image reference; the message says why."""

    exit_code = 2


class RegistryError(TagbotError):
    """Raised when a registry cannot answer; `transient` for 429, 5xx and timeouts."""

    def __init__(self, message: str, *, transient: bool = False, status: int | None = None):
        super().__init__(message)
        self.transient = transient
        self.status = status


class EditError(TagbotError):
    """Raised when a file cannot be parsed or an edit fails its verification."""


class GitError(TagbotError):
    """Raised when a git command fails; the message never holds a credential."""


class ProviderError(TagbotError):
    """Raised when GitHub or GitLab refuses a request."""
