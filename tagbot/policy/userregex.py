"""User patterns (`filter`, `/regex/` ignore rules) on RE2, whose matching time is linear in the
tag's length: `^(a+)+$` against a hostile 5,000-character tag must not take forever (Python's
`re` backtracks exponentially). RE2 has no backreferences or lookaround; such a pattern is a
ConfigError naming the reason, when the config loads."""

from __future__ import annotations

from typing import Any

import re2

from tagbot.errors import ConfigError

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # the error goes into the ConfigError, not onto stderr


def compile_user(
    pattern: str, what: str, *, ignore_case: bool = False, shown: str | None = None
) -> Any:
    """`pattern` compiled by RE2 (an object with `search`, `groups`, `groupindex` like `re`);
    ConfigError saying `invalid WHAT regex SHOWN: WHY` otherwise (SHOWN: the pattern as the
    user wrote it, `/x/i` for an ignore rule)."""
    try:
        return re2.compile(("(?i)" if ignore_case else "") + pattern, _OPTIONS)
    except re2.error as exc:
        why = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        hint = ""
        if "escape" in why or "(?=" in pattern or "(?!" in pattern or "(?<" in pattern:
            hint = " (RE2 syntax: no backreferences or lookaround)"
        raise ConfigError(f"invalid {what} regex {shown or repr(pattern)}: {why}{hint}") from None
