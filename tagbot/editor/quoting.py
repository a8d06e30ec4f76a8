"""Quoting rules for values the editor writes: when a plain scalar needs quotes, and how to quote."""

from __future__ import annotations

import re

from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.resolver import VersionedResolver

STR_TAG = "tag:yaml.org,2002:str"
# Both YAML 1.1 (Go yaml.v2, PyYAML: `yes`, `on`, `1:20`, `1_000`) and 1.2 (ruamel, yaml.v3:
# `0o17`) resolvers: a tag must read as a string under whichever one the deployer uses.
_RESOLVERS = (VersionedResolver(version=(1, 1)), VersionedResolver(version=(1, 2)))
# A plain scalar may not start with an indicator nor hold `: ` or ` #` (YAML 1.2 section 7.3.3).
_PLAIN_UNSAFE = re.compile(r"^[-?:,\[\]{}#&*!|>'\"%@`\s]|[\s:]$|: | #|[\x00-\x1f\x7f\"\\,\[\]{}]")
# Characters a new tag, digest or image name may bring into a scalar; anything else is refused
# rather than escaped, because a registry never returns it (OCI distribution spec grammar).
SAFE_VALUE = re.compile(r"^[A-Za-z0-9._:@/=+-]*$")


def resolves_to_string(value: str) -> bool:
    """True when `value`, written as a plain scalar, reads as a string under YAML 1.1 and 1.2."""
    for resolver in _RESOLVERS:
        if str(resolver.resolve(ScalarNode, value, (True, False))) != STR_TAG:
            return False
    return True


def needs_quotes(value: str) -> bool:
    """True when `value` cannot be written as a plain scalar and still read as the same string."""
    if not value or _PLAIN_UNSAFE.search(value):
        return True
    return not resolves_to_string(value)


def quote(value: str, style: str) -> str:
    """Return `value` as a quoted scalar in `style` (`'` or `"`), escaping what that style needs."""
    if style == "'":
        return "'" + value.replace("'", "''") + "'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    escaped = re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", escaped)
    return f'"{escaped}"'


def render(value: str) -> str:
    """Return `value` as plain text when YAML reads it back as this string, else double-quoted."""
    return quote(value, '"') if needs_quotes(value) else value
