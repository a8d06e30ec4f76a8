"""Screening a tag before it is read as a version: grammar, ignore rules, filter, aliases, hashes."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from typing import Any

from tagbot.errors import ConfigError
from tagbot.imageref import valid_tag
from tagbot.policy import reasons
from tagbot.policy.regex import Filter
from tagbot.policy.userregex import compile_user

_ALIAS_WORDS = (
    "latest|stable|mainline|edge|lts|current|main|master|develop|dev|nightly|canary|next|"
    "unstable|testing|rolling|trunk|beta|alpha|rc|preview|snapshot|experimental|insiders"
)
# `latest`, `stable-alpine`, `lts-alpine3.19`, but not `stable-1.2.3` (a prefixed version).
# One pass tells aliases, cosign artefacts and commit hashes apart (10,000 tags stay fast).
_NAMED = re.compile(
    rf"(?P<alias>(?i:{_ALIAS_WORDS})(?:[-_.](?![0-9]).*)?)"  # not `stable-1.2.3`: a prefix
    r"|(?P<signature>sha256-[0-9a-f]{64}(?:\.(?:sig|att|sbom))?)"
    r"|(?P<sha>(?:sha|git|commit)-[0-9a-f]{7,64}|(?=[0-9]*[a-f])[0-9a-f]{7,64})",
    re.DOTALL,
)
_NAMED_REASONS = {"alias": reasons.ALIAS, "signature": reasons.SIGNATURE, "sha": reasons.SHA}
_REGEX_RULE = re.compile(r"/(.+)/(i?)")


def name_reason(name: str, hashes: bool = True) -> str | None:
    """`floating alias` (`latest`, `stable-alpine`), `signature or attestation`, `sha-like`."""
    if name[:1].isdigit() and ("." in name or "-" in name):
        return None  # a version such as `1.25.3-alpine`: no alias, hash or signature starts so
    found = _NAMED.fullmatch(name)
    if found is None or found.lastgroup is None:
        return None
    if not hashes and found.lastgroup == "sha":
        return None
    return _NAMED_REASONS[found.lastgroup]


class Ignore:
    """Ignore rules: globs (`*-rc*`) match the whole tag; `/regex/` (or `/regex/i`) searches it."""

    def __init__(self, rules: Sequence[str]) -> None:
        # A lone string is one rule, not a sequence of one-character globs.
        self.rules = (rules,) if isinstance(rules, str) else tuple(rules)
        globs: list[str] = []
        regexes: list[str] = []
        for rule in self.rules:
            found = _REGEX_RULE.fullmatch(rule)
            if found is None:
                if not rule:
                    raise ConfigError("empty ignore rule")
                globs.append(fnmatch.translate(rule))
                continue
            flags = "i" if found.group(2) else ""
            compile_user(found.group(1), "ignore", shown=repr(rule))  # its own error, if any
            regexes.append(f"(?{flags}:{found.group(1)})" if flags else f"(?:{found.group(1)})")
        # One alternation for every glob, and one for every regex, keep a 10,000-tag list fast.
        self._globs = re.compile("|".join(globs)) if globs else None
        self._regex: Any = compile_user("|".join(regexes), "ignore") if regexes else None

    def __call__(self, name: str) -> bool:
        """True when `name` matches any rule."""
        if not self.rules:
            return False
        if self._globs is not None and self._globs.match(name):
            return True
        return self._regex is not None and self._regex.search(name) is not None


class Screen:
    """Everything decided about a tag by its name alone, in a fixed order (one reason each)."""

    def __init__(self, ignore: Sequence[str] = (), filter_: Filter | None = None) -> None:
        self.ignore = Ignore(ignore)
        self.filter = filter_
        self._ignoring = bool(self.ignore.rules)

    def value(self, name: str) -> str | None:
        """The text a policy orders: the filter's extract, the tag itself, or None if unmatched."""
        if self.filter is None:
            return name
        return self.filter.apply(name)

    def check(self, name: str, hashes: bool = True) -> tuple[str | None, str]:
        """(reason, value): a rejection reason, or None and the value to order."""
        # valid_tag's `$` also accepts a trailing newline; a tag never holds one.
        if not valid_tag(name) or name.endswith("\n"):
            return reasons.INVALID, name
        if self._ignoring and self.ignore(name):
            return reasons.IGNORED, name
        if self.filter is not None:
            value = self.filter.apply(name)
            # A filter is the user's own choice of tags: it replaces the alias and hash screens.
            return (None, value) if value is not None else (reasons.NOT_MATCHED, name)
        return name_reason(name, hashes), name
