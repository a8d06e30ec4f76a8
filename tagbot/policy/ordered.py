"""The orders a tag list can be read in: semver, calver (dates), numerical, alphabetical."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from tagbot.policy import reasons
from tagbot.policy.family import Family, Scheme, plain, shared
from tagbot.policy.versions import RELEASE, Version, core3, make_version, parse_semver

# `2024.01.15`, `2024-01-15`, `20240115`, `jammy-20240125`, `RELEASE.2024-01-16T16-07-38Z`.
_CALVER = re.compile(
    r"(?P<prefix>[^0-9]*)(?P<nums>[0-9]+(?:[.\-_T][0-9]+)*)(?P<suffix>[^0-9].*)?", re.DOTALL
)
_COMPACT_DATE = re.compile(r"(?:19|20)[0-9]{6}(?:[0-9]{2}){0,3}")
_NUMBER = re.compile(r"(?P<prefix>[^0-9]*)(?P<num>[0-9]+(?:\.[0-9]+)?)(?P<suffix>[^0-9.].*)?")


@dataclass(frozen=True, slots=True)
class Order:
    """How one order reads a value, what it calls a value it cannot read, and its plain family."""

    name: str
    parse: Callable[[str], Version | None]
    unreadable: str  # the rejection reason
    scheme: Scheme
    ranges: bool  # whether a semver-style range applies

    def plain(self, family: Family) -> bool:
        """True when `family` is eligible with no current tag (`1.2.3`, `v1.2.3`, no variant)."""
        return self.scheme == "text" or plain(family, self.scheme)


def _year_like(first: str, parts: int) -> bool:
    """A 4-digit year, a compact date(-time), or a 2-digit year followed by more parts (`24.04`)."""
    if len(first) == 4:
        return 1970 <= int(first) <= 2099
    if len(first) == 2:
        return parts >= 2
    return _COMPACT_DATE.fullmatch(first) is not None


def parse_calver(text: str) -> Version | None:
    """Read a date-like tag; leading zeros are fine (`2022.04.1`). None when it is not a date."""
    match = _CALVER.fullmatch(text)
    if match is None:
        return None
    prefix, nums, suffix = match.groups()
    numbers = nums.replace("T", ".").replace("-", ".").replace("_", ".").split(".")
    first = numbers[0]
    if not _year_like(first, len(numbers)):
        return None
    parts = tuple(map(int, numbers))
    # `2024.01.15` and `2024-01-15` are different shapes: the first separator (and a `T` time)
    # is part of the family; `2022.05` beside `2022.04.1` stays a floating alias.
    style = nums[len(first)] if len(numbers) > 1 else ""
    if "T" in nums:
        style += "T"
    family = shared((prefix, suffix or "", "calendar", False, style))
    return make_version((text, (parts,), family, len(parts), False, core3(parts), RELEASE))


def parse_number(text: str) -> Version | None:
    """Read a build number (`1234`, `build-1234`, `1.5` as a decimal, as Flux does)."""
    match = _NUMBER.fullmatch(text)
    if match is None:
        return None
    prefix, number, suffix = match.groups()
    family = shared((prefix, suffix or "", "number", False, ""))
    return make_version((text, (Decimal(number),), family, 1, False, None, RELEASE))


_TEXT = Family(scheme="text")


def parse_text(text: str) -> Version:
    """Any value orders alphabetically (by code point, as Flux's alphabetical policy)."""
    return make_version((text, (text,), _TEXT, 1, False, None, RELEASE))


ORDERS: dict[str, Order] = {
    "semver": Order("semver", parse_semver, reasons.NOT_VERSION, "semver", True),
    "calver": Order("calver", parse_calver, reasons.NOT_DATE, "calendar", True),
    "numerical": Order("numerical", parse_number, reasons.NOT_NUMBER, "number", False),
    "alphabetical": Order("alphabetical", parse_text, reasons.NOT_VERSION, "text", False),
}
