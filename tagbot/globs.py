"""Path-style globs: `*` and `?` stay inside one `/` segment, `**` crosses segments."""

from __future__ import annotations

import re
from functools import lru_cache


def _char_class(body: str) -> str:
    negate = body[:1] in ("!", "^")
    if negate:
        body = body[1:]
    # Escape everything but ranges, so `[.]` or `[\]` mean what they say.
    inner = "".join(c if c == "-" else re.escape(c) for c in body)
    return f"[{'^' if negate else ''}{inner}]"


def translate(pattern: str) -> str:
    """The regular expression for `pattern`; raises ValueError for an unclosed `[`."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        at_segment_start = i == 0 or pattern[i - 1] == "/"
        if at_segment_start and pattern.startswith("**/", i):
            out.append("(?:.*/)?")  # zero or more whole directories, like git's `**/`
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[":
            # A `]` right after `[` (or `[!`) is a literal member, as in fnmatch.
            start = i + 2 if pattern[i + 1 : i + 2] in ("!", "^") else i + 1
            end = pattern.find("]", start + 1)
            if end < 0:
                raise ValueError(f"unclosed '[' at character {i + 1} of glob {pattern!r}")
            out.append(_char_class(pattern[i + 1 : end]))
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(translate(pattern))


def is_literal(pattern: str) -> bool:
    """True when `pattern` matches only itself (no `*`, `?` or `[`)."""
    return not any(c in pattern for c in "*?[")


def match(pattern: str, path: str) -> bool:
    """True when the whole of `path` matches `pattern`."""
    return _compiled(pattern).fullmatch(path) is not None


def match_any(patterns: list[str] | tuple[str, ...], path: str) -> bool:
    """True when `path` matches at least one of `patterns`."""
    return any(match(p, path) for p in patterns)
