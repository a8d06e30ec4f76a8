"""The README tells the truth: its config snippet validates and its commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from tagbot.cli import COMMANDS
from tagbot.config import load_config

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_config_snippet_validates(tmp_path: Path) -> None:
    match = re.search(r"```yaml\n(version: 1\n.*?)```", README, re.S)
    assert match, "the README shows a tagbot.yaml"
    path = tmp_path / "tagbot.yaml"
    path.write_text(match.group(1))
    config = load_config(path)
    assert config.git.provider == "github" and config.images


def test_every_command_the_readme_names_exists() -> None:
    named = set(re.findall(r"`tagbot ([a-z]+)", README))
    assert named, "the README names commands"
    assert named <= set(COMMANDS), named - set(COMMANDS)
    assert set(COMMANDS) <= named, "every command is documented"


def test_readme_gives_the_two_setup_commands_and_ci_runs_the_test_one() -> None:
    assert "make demo" in README and "make test" in README
    assert "exec make test" in (ROOT / ".ci" / "run").read_text()
