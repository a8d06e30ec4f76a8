"""Filter + extract, compatible with Flux's `filterTags: {pattern, extract: '$ts'}`.

The pattern is searched (not anchored, as Go's `FindStringSubmatchIndex` in Flux), and `extract`
expands like Go's `Regexp.Expand`: `$name`, `${name}`, `$1`, `${1}`, `$$` for a literal `$`.
Go's `(?<name>...)` groups are accepted as Python's `(?P<name>...)`.
"""

from __future__ import annotations

import re
from typing import Any

from tagbot.errors import ConfigError
from tagbot.policy.userregex import compile_user

_GO_NAMED_GROUP = re.compile(r"\(\?<(?=[A-Za-z_])")
# Go's template variable: the longest run of letters, digits and underscores, or braced.
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+)|(\$))")


class Filter:
    """A compiled filter; raises ConfigError for a bad regex or an extract naming no group."""

    def __init__(self, pattern: str, extract: str | None = None) -> None:
        self.pattern = pattern
        self.extract = extract or None
        self._regex = compile_user(_GO_NAMED_GROUP.sub("(?P<", pattern), "filter")
        if self.extract is not None:
            for name in _variables(self.extract):
                self._check_group(name)

    def _check_group(self, name: str) -> None:
        """Fail at load time for `$ts` when the pattern has no group `ts` (Go would give '')."""
        if name.isdigit():
            if int(name) > self._regex.groups:
                raise ConfigError(
                    f"extract {self.extract!r} uses ${name} but the filter has "
                    f"{self._regex.groups} group(s)"
                )
            return
        if name not in self._regex.groupindex:
            raise ConfigError(f"extract {self.extract!r} uses ${name}: no group named {name!r}")

    def apply(self, tag: str) -> str | None:
        """The value to order for `tag` (the tag itself without extract), or None if unmatched."""
        match = self._regex.search(tag)
        if match is None:
            return None
        if self.extract is None:
            return tag
        value = _expand(self.extract, match)
        return value or None


def _variables(template: str) -> list[str]:
    """The group names and numbers a template refers to (`$$` excluded)."""
    return [m.group(1) or m.group(2) for m in _VARIABLE.finditer(template) if not m.group(3)]


def _expand(template: str, match: Any) -> str:
    """Expand `$name`/`${name}` like Go; an unmatched optional group gives ''."""

    def one(found: re.Match[str]) -> str:
        if found.group(3):
            return "$"
        name = found.group(1) or found.group(2)
        group = int(name) if name.isdigit() else name
        return match.group(group) or ""

    return _VARIABLE.sub(one, template)
