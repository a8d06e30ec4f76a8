"""Fixtures for the scanner tests: real registries (tests.support) and scanners pointed at them."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from tagbot.models import RegistryOptions
from tagbot.scanner import Retry, Scanner
from tests.support.fixtures import (  # noqa: F401 (fixtures)
    clean_env,
    registry_anonymous,
    registry_htpasswd,
    registry_token,
    repo_name,
    token_server,
)
from tests.support.registry import RegistryServer

FAST_RETRY = Retry(attempts=3, backoff=0.01, max_wait=5.0)
MakeScanner = Callable[..., Scanner]


def login_env(server: RegistryServer, user: str = "alice") -> dict[str, str]:
    """Env vars holding `user`'s login, named by `login_options`."""
    return {"REG_USER": user, "REG_PASSWORD": server.users[user]}


def login_options(host: str, **extra: Any) -> RegistryOptions:
    """Options for `host` whose credentials come from $REG_USER / $REG_PASSWORD."""
    return RegistryOptions(host=host, username_env="REG_USER", password_env="REG_PASSWORD", **extra)


@pytest.fixture
def make_scanner(clean_env: dict[str, str]) -> Iterator[MakeScanner]:  # noqa: F811
    """Build Scanners with fast retries and a clean env; all are closed after the test."""
    made: list[Scanner] = []

    def make(
        registries: list[RegistryOptions] | None = None,
        env: Mapping[str, str] | None = None,
        **kwargs: Any,
    ) -> Scanner:
        kwargs.setdefault("retry", FAST_RETRY)
        scanner = Scanner(registries or [], env={**clean_env, **(env or {})}, **kwargs)
        made.append(scanner)
        return scanner

    yield make
    for scanner in made:
        scanner.close()


@pytest.fixture
def scanner_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture the scanner's log records at DEBUG, even if tagbot's logger stops propagating."""
    logger = logging.getLogger("tagbot.scanner")
    saved = (logger.level, logger.propagate)
    logger.addHandler(caplog.handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # caplog's root handler would otherwise see each record twice
    yield caplog
    logger.removeHandler(caplog.handler)
    logger.level, logger.propagate = saved
