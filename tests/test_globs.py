"""tagbot.globs: path-style globs for file paths and image names."""

from __future__ import annotations

import pytest

from tagbot import globs


@pytest.mark.parametrize(
    ("pattern", "path", "matched"),
    [
        pytest.param("*.yaml", "a.yaml", True, id="star"),
        pytest.param("*.yaml", "d/a.yaml", False, id="star-stays-in-segment"),
        pytest.param("**/*.yaml", "a.yaml", True, id="double-star-zero-dirs"),
        pytest.param("**/*.yaml", "d/e/a.yaml", True, id="double-star-many-dirs"),
        pytest.param("charts/**/templates/**", "charts/templates/x.yaml", True, id="inner-zero"),
        pytest.param("charts/**/templates/**", "charts/a/b/templates/x/y", True, id="inner-many"),
        pytest.param("charts/**/templates/**", "charts/a/tmpl/x", False, id="inner-miss"),
        pytest.param("ghcr.io/acme/*", "ghcr.io/acme/api", True, id="image"),
        pytest.param("ghcr.io/acme/*", "ghcr.io/acme/team/api", False, id="image-nested"),
        pytest.param("ghcr.io/acme/**", "ghcr.io/acme/team/api", True, id="image-double"),
        pytest.param("a?c", "abc", True, id="question"),
        pytest.param("a?c", "a/c", False, id="question-not-slash"),
        pytest.param("v[0-9]", "v7", True, id="class"),
        pytest.param("v[!0-9]", "v7", False, id="negated-class"),
        pytest.param("[]]", "]", True, id="bracket-first-is-literal"),
        pytest.param("a.b", "axb", False, id="dot-is-literal"),
        pytest.param("a+b(c)", "a+b(c)", True, id="regex-chars-literal"),
        pytest.param("*-rc*", "1.2.0-rc.1", True, id="tag-glob"),
    ],
)
def test_match(pattern: str, path: str, matched: bool) -> None:
    assert globs.match(pattern, path) is matched


@pytest.mark.parametrize("pattern", ["[abc", "a/[!", "x["])
def test_unclosed_class_is_an_error(pattern: str) -> None:
    with pytest.raises(ValueError, match="unclosed"):
        globs.translate(pattern)
