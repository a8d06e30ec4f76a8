"""`--repository NAME`: which entry of `repositories:` a name picks, and the exit-2 errors that
say what to pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from tagbot.config import Config, load_config
from tagbot.errors import ConfigError
from tagbot.pipeline.repositories import one_repository, short_name

ENTRIES = """\
repositories:
  - repository: https://git.example/acme/deploy-eu.git
    project: acme/deploy-eu
  - repository: ../us/deploy-us
  - repository: https://git.example/other/deploy-eu.git
    base_branch: live
environments:
  - name: dev
    paths: [overlays/dev/**]
"""


@pytest.fixture
def fleet(tmp_path: Path) -> Config:
    path = tmp_path / "conf" / "tagbot.yaml"
    path.parent.mkdir()
    path.write_text(ENTRIES, encoding="utf-8")
    return load_config(path)


@pytest.mark.parametrize(
    ("name", "repository"),
    [
        ("acme/deploy-eu", "https://git.example/acme/deploy-eu.git"),
        ("https://git.example/acme/deploy-eu.git", "https://git.example/acme/deploy-eu.git"),
        ("deploy-us", "{tmp}/us/deploy-us"),
        ("../us/deploy-us", "{tmp}/us/deploy-us"),
        ("{tmp}/us/deploy-us", "{tmp}/us/deploy-us"),
        ("https://git.example/other/deploy-eu.git", "https://git.example/other/deploy-eu.git"),
    ],
    ids=["project", "url", "short-name", "as-written", "resolved", "url-of-a-twin"],
)
def test_a_name_picks_one_repository(
    fleet: Config, tmp_path: Path, name: str, repository: str
) -> None:
    one = one_repository(fleet, name.format(tmp=tmp_path), "rollback")
    assert one.git.repository == repository.format(tmp=tmp_path)
    assert one.repositories == [] and one.environments == fleet.environments


def test_the_entry_keeps_its_base_branch(fleet: Config) -> None:
    one = one_repository(fleet, "https://git.example/other/deploy-eu.git", "release")
    assert one.git.base_branch == "live"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (None, "`tagbot rollback` changes one; name it with --repository NAME (one of: "
               "deploy-eu, deploy-us, deploy-eu)"),
        ("deploy-eu", "'deploy-eu' names 2 repositories of the config: pass its URL or project"),
        ("asia", "no repository 'asia' in the config (known: deploy-eu, deploy-us, deploy-eu)"),
    ],
    ids=["none-named", "ambiguous", "unknown"],
)  # fmt: skip
def test_what_to_pass_is_said_with_exit_2(fleet: Config, name: str | None, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        one_repository(fleet, name, "rollback")
    assert message in str(raised.value) and raised.value.exit_code == 2


def test_a_single_repository_config_needs_no_name(tmp_path: Path) -> None:
    path = tmp_path / "tagbot.yaml"
    path.write_text("git: {repository: 'https://git.example/acme/deploy.git'}\n")
    config = load_config(path)
    assert one_repository(config, None, "release") is config
    assert one_repository(config, "deploy", "release").git.repository == config.git.repository


@pytest.mark.parametrize(
    ("url", "short"),
    [("https://h/acme/deploy-eu.git", "deploy-eu"), ("git@h:acme/x.git", "x"),
     ("/srv/git/cfg/", "cfg"), (".", "")],
)  # fmt: skip
def test_short_name(url: str, short: str) -> None:
    assert short_name(url) == short
