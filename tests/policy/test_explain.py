"""What `tagbot tags` prints (tagbot/policy/explain.py): text, JSON and the CLI options helper."""

from __future__ import annotations

import json

import pytest

from tagbot.errors import ConfigError
from tagbot.models import PolicySpec, Tag
from tagbot.policy.explain import explain, newest_first, spec_from_options
from tagbot.report import render_text
from tagbot.report import selection_json as as_json

LISTED = [
    Tag(n)
    for n in [
        "latest",
        "1.25.4-alpine",
        "1.25.3-alpine",
        "1.25.2-alpine",
        "1.25.4",
        "1.26.0-rc1-alpine",
        "1.25-alpine",
        "sha-1a2b3c4",
        "1.24.0-alpine",
    ]
]
EXPECTED_TEXT = """\
current:  1.25.2-alpine
selected: 1.25.4-alpine  (newest semver tag in family X.Y.Z-alpine, range ^1.25)
rejected: 7
  latest             floating alias
  1.25.3-alpine      not the newest
  1.25.4             other family
  1.26.0-rc1-alpine  pre-release
  1.25-alpine        floating alias
  sha-1a2b3c4        sha-like
  1.24.0-alpine      outside range
"""


def test_render_text() -> None:
    spec = spec_from_options(range_="^1.25")
    selection = explain(spec, "1.25.2-alpine", LISTED)
    assert render_text(selection, "1.25.2-alpine") == EXPECTED_TEXT


def test_render_text_when_nothing_changes() -> None:
    selection = explain(PolicySpec(), "1.25.4-alpine", LISTED)
    text = render_text(selection)
    assert text.startswith("selected: none  (already newest in family X.Y.Z-alpine)\n")
    assert "  1.25.3-alpine      older than current\n" in text


def test_render_text_digest() -> None:
    listed = [Tag("latest", "sha256:" + "b" * 64), Tag("1.25.4")]
    selection = explain(PolicySpec(kind="digest"), "latest", listed, "sha256:" + "a" * 64)
    assert render_text(selection) == (
        "selected: none  (digest of latest moved)\n"
        f"digest:   sha256:{'b' * 64}\n"
        "rejected: 1\n"
        "  1.25.4  digest policy follows the current tag\n"
    )


def test_as_json_matches_the_cli_contract() -> None:
    selection = explain(PolicySpec(), "1.25.2-alpine", LISTED)
    document = as_json("docker.io/library/nginx", LISTED, selection)
    assert json.loads(json.dumps(document)) == document
    assert document["image"] == "docker.io/library/nginx"
    assert document["tags"] == [t.name for t in LISTED]
    assert document["selected"] == "1.25.4-alpine"
    assert document["rejected"][0] == {"tag": "latest", "reason": "floating alias"}
    assert len(document["rejected"]) == len(LISTED) - 2  # minus the pick and the current


def test_spec_from_options() -> None:
    spec = spec_from_options("calver", ">=2024", "^(?P<d>[0-9.]+)$", "$d", False, ["2024.13.*"])
    assert spec == PolicySpec(
        kind="calver",
        range=">=2024",
        filter="^(?P<d>[0-9.]+)$",
        extract="$d",
        ignore=("2024.13.*",),
    )
    assert spec_from_options() == PolicySpec()
    assert spec_from_options(prerelease=True) == PolicySpec(prerelease=True)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"policy": "latest"}, "unknown policy 'latest'"),
        ({"range_": ">=1.0 <"}, "invalid range"),
        ({"filter_": "("}, "invalid filter regex"),
        ({"extract": "$ts"}, "'extract' needs a 'filter'"),
    ],
    ids=["unknown-policy", "bad-range", "bad-filter", "extract-alone"],
)
def test_spec_from_bad_options(options: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        spec_from_options(**options)  # type: ignore[arg-type]


def test_newest_first_orders_versions_then_names() -> None:
    names = ["1.9.2", "latest", "1.10.0", "1.10.0-rc.1", "v2.0.0", "stable", "1.2"]
    assert newest_first(names) == [
        "v2.0.0",
        "1.10.0",
        "1.10.0-rc.1",
        "1.9.2",
        "1.2",
        "latest",
        "stable",
    ]


def test_a_range_no_tag_meets_says_so() -> None:
    listed = [Tag("1.0.0"), Tag("1.2.0"), Tag("2.0.0")]
    selection = explain(PolicySpec(range="^9"), None, listed)
    assert selection.selected is None
    assert selection.reason.startswith("no tag in range ^9 (3 semver tags outside it)")
