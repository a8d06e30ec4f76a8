"""Fixtures: git cut off from the machine's config, a seeded bare remote, fake forges."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tagbot.models import GitOptions
from tests.fakeforge import BareRepo, FakeGitHub, FakeGitLab, isolated_git_env
from tests.fakeforge.githubapp import AppKey
from tests.provider.helpers import SEED


@pytest.fixture(autouse=True)
def git_isolation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every git the test or tagbot runs ignores global config and has no tokens around."""
    for name, value in isolated_git_env().items():
        monkeypatch.setenv(name, value)
    for name in ("GITHUB_TOKEN", "GITLAB_TOKEN", "GIT_DIR", "GIT_WORK_TREE", "GIT_CONFIG_COUNT"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> BareRepo:
    """A bare repository whose `main` holds the seed files; tests get copies."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in isolated_git_env().items():
            patch.setenv(name, value)
        repo = BareRepo(tmp_path_factory.mktemp("seed") / "remote.git")
        repo.commit(SEED, "seed")
    return repo


@pytest.fixture
def remote(seeded: BareRepo, tmp_path: Path) -> BareRepo:
    """A bare remote of the test's own whose `main` holds the seed files."""
    return seeded.copy(tmp_path / "remote.git")


def git_options(remote: BareRepo, **overrides: object) -> GitOptions:
    """Options for publishing to `remote` as `tagbot <bot@example.com>`."""
    values: dict[str, object] = {
        "repository": remote.url,
        "provider": "git",
        "mode": "push",
        "author_name": "tagbot",
        "author_email": "bot@example.com",
    }
    values.update(overrides)
    return GitOptions(**values)  # type: ignore[arg-type]


@dataclass
class Forge:
    """A running fake forge and the options that point tagbot at it."""

    name: str
    fake: FakeGitHub | FakeGitLab
    options: GitOptions


@pytest.fixture(params=["github", "gitlab"])
def forge(
    request: pytest.FixtureRequest, remote: BareRepo, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Forge]:
    """A fake GitHub or GitLab over `remote`, with its token in the environment."""
    fake: FakeGitHub | FakeGitLab
    fake = FakeGitHub(remote) if request.param == "github" else FakeGitLab(remote)
    with fake:
        yield forge_for(fake, monkeypatch)


def forge_for(
    fake: FakeGitHub | FakeGitLab, monkeypatch: pytest.MonkeyPatch, **overrides: object
) -> Forge:
    """Point tagbot at a running fake: its token in the environment, PR mode, a label, a reviewer."""
    name = "github" if isinstance(fake, FakeGitHub) else "gitlab"
    monkeypatch.setenv(f"{name.upper()}_TOKEN", fake.token)
    values: dict[str, object] = {
        "provider": name,
        "mode": "pull-request",
        "api_url": fake.url,
        "project": "acme/config",
        "labels": ("dependencies",),
        "reviewers": ("alice",),
    }
    values.update(overrides)
    return Forge(name, fake, git_options(fake.repo, **values))


@pytest.fixture(scope="session")
def app_key() -> AppKey:
    """The App's key, which the fake GitHub knows the public half of."""
    return AppKey.generate()


@pytest.fixture(scope="session")
def stranger_key() -> AppKey:
    """A key the fake GitHub has never seen."""
    return AppKey.generate()
