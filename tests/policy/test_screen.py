"""Screening by name (tagbot/policy/screen.py): aliases, hashes, signatures, ignore rules."""

from __future__ import annotations

import pytest

from tagbot.policy import reasons
from tagbot.policy.screen import Ignore, name_reason

P = pytest.param
SIG = "sha256-" + "0e2a61ad5b2c2b4a3e1f8f1cf0d3d9a0a8e7d6c5b4a39281706f5e4d3c2b1a09"
NAMES = [
    P("latest", reasons.ALIAS, id="latest"),
    P("stable-alpine", reasons.ALIAS, id="stable-alpine"),
    P("lts-alpine3.19", reasons.ALIAS, id="lts-alpine3.19"),
    P("mainline-alpine-slim", reasons.ALIAS, id="mainline-alpine-slim"),
    P("Latest", reasons.ALIAS, id="case-insensitive"),
    P("edge", reasons.ALIAS, id="edge"),
    P("stable-1.2.3", None, id="prefixed-version"),
    P("nextcloud", None, id="word-starting-with-alias"),
    P("developer", None, id="develop-prefix-word"),
    P("1a2b3c4", reasons.SHA, id="short-sha"),
    P("sha-1a2b3c4", reasons.SHA, id="sha-prefix"),
    P("git-1a2b3c4d", reasons.SHA, id="git-prefix"),
    P("e3b0c44298fc1c149afbf4c8996fb92427ae41e4", reasons.SHA, id="full-sha1"),
    P("deadbeef", reasons.SHA, id="hex-word"),
    P("20240115", None, id="digits-are-a-date"),
    P("cafe", None, id="too-short"),
    P(SIG + ".sig", reasons.SIGNATURE, id="cosign-sig"),
    P(SIG + ".att", reasons.SIGNATURE, id="cosign-att"),
    P(SIG + ".sbom", reasons.SIGNATURE, id="cosign-sbom"),
    P(SIG, reasons.SIGNATURE, id="referrers-fallback"),
    P("1.25.3-alpine", None, id="version"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "reason"), NAMES)
def test_name_reason(name: str, reason: str | None) -> None:
    assert name_reason(name) == reason


def test_hashes_can_be_wanted() -> None:
    assert name_reason("sha-1a2b3c4", hashes=False) is None
    assert name_reason("latest", hashes=False) == reasons.ALIAS


IGNORE = [
    P(["*-rc*"], "1.2.3-rc1", True, id="glob"),
    P(["*-rc*"], "1.2.3", False, id="glob-no-match"),
    P(["1.2.*"], "1.2.3-alpine", True, id="glob-whole-tag"),
    P(["1.2.*"], "v1.2.3", False, id="glob-anchored"),
    P(["/rc/"], "1.2.3-rc1", True, id="regex-searched"),
    P(["/^1\\.2/"], "v1.2.3", False, id="regex-anchored-by-user"),
    P(["/ALPINE/i"], "1.2.3-alpine", True, id="regex-ignore-case"),
    P(["/ALPINE/"], "1.2.3-alpine", False, id="regex-case"),
    P("1.2.3", "1.2.3", True, id="lone-string-is-one-rule"),
    P([], "anything", False, id="no-rules"),
]  # fmt: skip


@pytest.mark.parametrize(("rules", "name", "ignored"), IGNORE)
def test_ignore(rules: list[str] | str, name: str, ignored: bool) -> None:
    assert Ignore(rules)(name) is ignored
