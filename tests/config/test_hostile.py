"""Configs that would hang, crash or mislead: bounded, and every error of an entry reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tagbot.config import check_config

BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n"
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def issues_of(tmp_path: Path, text: str) -> list[tuple[int | None, str, str]]:
    path = tmp_path / "tagbot.yaml"
    path.write_text(text)
    config, issues = check_config(path)
    assert (config is None) == bool(issues)
    return [(i.line, i.key, i.message) for i in issues]


def test_aliases_of_aliases_are_refused_quickly(tmp_path: Path) -> None:
    [(_, key, message)] = issues_of(tmp_path, BOMB)
    assert key == "(yaml)" and "expands to more than 100,000 values" in message


def test_deep_nesting_is_a_config_error(tmp_path: Path) -> None:
    [(_, key, message)] = issues_of(tmp_path, "a: " + "[" * 30_000 + "]" * 30_000 + "\n")
    assert (key, message) == ("(yaml)", "nested too deeply")


def test_every_bad_key_of_one_rule_is_reported(tmp_path: Path) -> None:
    text = (
        "images:\n  - name: nginx\n    range: '^^^x'\n    filter: '(open'\n    ignore: ['/(x/']\n"
    )
    found = issues_of(tmp_path, text)
    assert [(line, key) for line, key, _ in found] == [
        (3, "images[0].range"),
        (4, "images[0].filter"),
        (5, "images[0].ignore"),
    ]


@pytest.mark.parametrize(
    "template",
    ["{image:>50000000}", "{image!r}", "{to:{count}}"],
    ids=["width", "conversion", "nested"],
)
def test_templates_take_plain_fields_only(tmp_path: Path, template: str) -> None:
    [(line, key, message)] = issues_of(tmp_path, f"git:\n  pr_title: '{template}'\n")
    assert (line, key) == (2, "git.pr_title")
    assert "no format spec or conversion" in message


def test_validate_warns_on_an_empty_config(tmp_path: Path) -> None:
    (tmp_path / "tagbot.yaml").write_text("# nothing yet\n")
    done = subprocess.run(
        [sys.executable, "-m", "tagbot", "validate"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout == "ok: tagbot.yaml\n"
    assert "the config is empty: every default applies" in done.stderr


def test_a_tagged_collection_is_a_config_error(tmp_path: Path) -> None:
    assert issues_of(tmp_path, 'images: !foo ["x"]\n') == [
        (1, "images[0]", "must be a mapping, not a string")
    ]
