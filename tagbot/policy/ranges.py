"""Version ranges in npm's syntax (`^1.2`, `~1.2.3`, `>=1.0 <2`, `1.x`, `*`, `1.2 - 1.4`, `||`).

node-semver (a port of npm's own node-semver) desugars the range into npm's canonical comparator
sets (`^1.2` -> `>=1.2.0 <2.0.0`); tagbot reads those comparators and checks them against its own
tolerant versions, so `rc10 > rc9` and two-part tags keep working. Commas (Flux's Masterminds
syntax, `>=1.0, <2`) are read as spaces; leading zeros (`>=2024.01`) are dropped.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

from tagbot.errors import ConfigError
from tagbot.policy.versions import LOWEST_PRE, PreKey, pre_key

Point = tuple[tuple[int, int, int], PreKey]
_COMPARATOR = re.compile(r"(<=|>=|<|>|=)?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?")
_LEADING_ZEROS = re.compile(r"(?<![0-9A-Za-z])0+(?=[0-9])")
_OPS: dict[str, Callable[[Point, Point], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
}


class Range:
    """A parsed range; raises ConfigError at construction when the text is not a valid range."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._sets = _parse(text)

    def contains(self, core: tuple[int, int, int], pre: PreKey) -> bool:
        """True when the version (major.minor.patch, pre-release key) satisfies the range."""
        point = (core, pre)
        for comparators in self._sets:
            if all(test(point, bound) for test, bound in comparators):
                return True
        return False


def _parse(text: str) -> list[list[tuple[Callable[[Point, Point], bool], Point]]]:
    """Desugar with node-semver (strict mode) and read back its canonical comparators."""
    # Imported here: it compiles its grammar on import (~15 ms), and most rules set no range.
    import nodesemver  # type: ignore[import-untyped]

    cleaned = _LEADING_ZEROS.sub("", text.replace(",", " ")).strip()
    if not cleaned:
        raise ConfigError("empty range (use '*' for any version)")
    alternatives = cleaned.split("||")
    if any(not part.strip() for part in alternatives):
        # npm reads an empty alternative as "any version": almost always a typo in a config.
        raise ConfigError(f"invalid range {text!r}: empty alternative around '||'")
    try:
        canonical = str(nodesemver.make_range(cleaned, False))
    except (
        Exception
    ) as exc:  # the library's own errors are ValueErrors; any other is still bad input
        raise ConfigError(f"invalid range {text!r}: {exc}") from None
    sets = []
    for alternative in canonical.split("||"):
        comparators = []
        for token in alternative.split():
            match = _COMPARATOR.fullmatch(token)
            if match is None:
                raise ConfigError(f"invalid range {text!r}: cannot read {token!r}")
            op, major, minor, patch, pre = match.groups()
            core = (int(major), int(minor), int(patch))
            # npm excludes the bound's pre-releases from `<2.0.0` (it writes `<2.0.0-0`).
            bound_pre = pre_key(pre) if pre or op != "<" else LOWEST_PRE
            comparators.append((_OPS[op or "="], (core, bound_pre)))
        sets.append(comparators)
    return sets
