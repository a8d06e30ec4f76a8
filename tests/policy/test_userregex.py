"""User regexes run on RE2: linear time on hostile tags, clear errors for what RE2 lacks."""

from __future__ import annotations

import pytest

from tagbot.errors import ConfigError
from tagbot.models import PolicySpec, Tag
from tagbot.policy import build
from tagbot.policy.userregex import compile_user

HOSTILE = "a" * 20_000 + "!"  # exponential for a backtracking engine with `^(a+)+$`


@pytest.mark.parametrize("spec", [PolicySpec(filter=r"^(a+)+$"), PolicySpec(ignore=("/^(a+)+$/",))])
def test_catastrophic_patterns_finish_on_hostile_tags(spec: PolicySpec) -> None:
    selection = build(spec).select(None, [Tag(HOSTILE), Tag("1.0.0")])
    assert HOSTILE not in {selection.selected}


@pytest.mark.parametrize(
    ("pattern", "needle"),
    [
        (r"(a)\1", "no backreferences or lookaround"),
        (r"^v(?=1)", "no backreferences or lookaround"),
        (r"(", "missing"),
    ],
    ids=["backreference", "lookahead", "unbalanced"],
)
def test_unsupported_syntax_is_a_config_error(pattern: str, needle: str) -> None:
    with pytest.raises(ConfigError, match="invalid filter regex") as raised:
        compile_user(pattern, "filter")
    assert needle in str(raised.value)


def test_named_groups_and_case_folding_work() -> None:
    regex = compile_user(r"^(?P<ts>\d+)-main$", "filter", ignore_case=True)
    assert regex.search("1700-MAIN").group("ts") == "1700"
    assert regex.groupindex == {"ts": 1}


@pytest.mark.parametrize(
    ("pattern", "engine"),
    [
        (r"^(a+)+$", "re2"),
        (r"(a|ab)*c", "re2"),
        (r"(x*)*", "re2"),
        (r"^main-[a-f0-9]+-(?P<ts>[0-9]+)$", "re"),
        (r"^v\d+\.\d+$", "re"),
        (r"-rc", "re"),
    ],
)
def test_nested_repetition_runs_on_the_linear_engine(pattern: str, engine: str) -> None:
    assert type(compile_user(pattern, "filter")).__module__ == engine
