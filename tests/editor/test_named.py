"""tagbot/editor/named.py: a tag under a key path a config rule names, rewritten like any other."""

from __future__ import annotations

import re

import pytest

from tagbot.editor import apply, named
from tagbot.errors import ConfigError
from tagbot.models import Update

VALUES = 'app:\n  name: api\n  version: "1.4.0"  # the chart builds ghcr.io/acme/api:<version>\n'


def test_the_named_key_is_a_reference_to_the_named_image() -> None:
    occ = named.find("values.yaml", VALUES, "app.version", "ghcr.io/acme/api")
    assert occ is not None and occ.rewritable
    assert (str(occ.image), occ.locator, occ.line) == ("ghcr.io/acme/api:1.4.0", "app.version", 3)
    assert occ.identity_note == "stated by config: ghcr.io/acme/api at app.version"
    applied = apply("values.yaml", VALUES, [Update(occ, "1.5.0")])
    assert applied.refused == () and applied.edit.after == VALUES.replace("1.4.0", "1.5.0")


@pytest.mark.parametrize(
    ("locator", "parts"),
    [
        ("a.b[0].c", (None, ("a", "b", 0, "c"))),
        ('doc[2]:spec."x.y"[3]', (2, ("spec", "x.y", 3))),
    ],
)
def test_locators_parse_as_tagbot_prints_them(locator: str, parts: object) -> None:
    assert named.parse_locator(locator) == parts


def test_a_bad_locator_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=re.escape("bad key path 'a..b' at character 2")):
        named.parse_locator("a..b")


@pytest.mark.parametrize(
    ("text", "locator", "skip"),
    [
        ("a: {v: ''}\n", "a.v", "no tag"),
        ("a: {v: '{{ .Values.v }}'}\n", "a.v", "templated value"),
        ("a: {v: 'bad tag'}\n", "a.v", "invalid tag 'bad tag'"),
    ],
    ids=["empty", "templated", "invalid"],
)
def test_odd_values_are_listed_not_rewritable(text: str, locator: str, skip: str) -> None:
    occ = named.find("v.yaml", text, locator, "ghcr.io/acme/api")
    assert occ is not None and occ.skip_reason == skip


def test_no_scalar_there_is_none() -> None:
    assert named.find("v.yaml", "a: {v: [1]}\n", "a.v", "x/y") is None
    assert named.find("v.yaml", "a: 1\n---\na: 2\n", "a", "x/y") is None
    assert named.find("v.yaml", "a: 1\n---\na: 2\n", "doc[2]:a", "x/y") is not None
