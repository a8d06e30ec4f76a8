"""Character-level edits of YAML source: change one scalar's value, insert one key, apply edits."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tagbot.editor import quoting
from tagbot.errors import EditError

# Node properties (`&anchor`, `!tag`) sit inside a composed node's span, before the scalar.
_PROPERTIES = re.compile(r"(?:[&!][^\s]*(?:[ \t]+|$))*")
_KEY_LINE = re.compile(r"^(?P<indent>[ \t]*(?:-[ \t]+)*)(?P<rest>.*)$")


@dataclass(frozen=True)
class Splice:
    """Replace `text[start:end]` with `new`; `start == end` inserts."""

    start: int
    end: int
    new: str


@dataclass(frozen=True)
class Scalar:
    """Where a scalar's characters are: `body` spans the value, quotes excluded."""

    start: int  # first character of the scalar itself (after any anchor or tag)
    end: int
    body_start: int
    body_end: int
    style: str | None  # None plain, "'", '"', "|", ">"


def locate(text: str, start: int, end: int) -> Scalar:
    """Find the scalar inside a node span; raises EditError when the span holds no scalar."""
    match = _PROPERTIES.match(text, start, end)
    pos = match.end() if match else start
    if pos >= end:  # an empty plain scalar, perhaps after `&anchor`
        return Scalar(end, end, end, end, None)
    first = text[pos]
    if first in "'\"":
        if end - pos < 2 or text[end - 1] != first:
            raise EditError("quoted scalar without its closing quote")
        return Scalar(pos, end, pos + 1, end - 1, first)
    if first in "|>":
        header_end = text.find("\n", pos, end)
        if header_end < 0:
            raise EditError("block scalar without a body")
        return Scalar(pos, end, header_end + 1, end, first)
    return Scalar(pos, end, pos, end, None)


def _middle(old: str, new: str) -> tuple[int, int]:
    """Lengths of the common prefix and suffix of `old` and `new` (never overlapping)."""
    limit = min(len(old), len(new))
    prefix = 0
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return prefix, suffix


def replace_value(text: str, start: int, end: int, old: str, new: str) -> Splice | None:
    """The splice that makes the scalar at `start:end` read `new` instead of `old`.

    Only the changed characters are replaced and the quote style is kept; a plain scalar whose
    new value YAML would read as a number, bool, null or date is wrapped in double quotes.
    Returns None when nothing changes; raises EditError when the source cannot be spliced safely.
    """
    if old == new:
        return None
    scalar = locate(text, start, end)
    body = text[scalar.body_start : scalar.body_end]
    if scalar.style is None and (not body or (body == old and quoting.needs_quotes(new))):
        _check_safe(new)
        # An empty value (`digest:`) starts right after the colon: add the separating space.
        space = " " if not body and text[scalar.start - 1 : scalar.start] not in (" ", "\t") else ""
        return Splice(scalar.start, scalar.end, space + quoting.render(new))
    offset, keep = scalar.body_start, 0
    if body != old:
        # Block scalars: splice only when the value sits once, verbatim, in the body (`image:
        # |-` then one line) and its final line breaks stay; else source and value differ.
        stripped = old.rstrip("\n")
        if scalar.style not in ("|", ">") or not stripped or body.count(stripped) != 1:
            raise EditError("scalar source differs from its value (escapes or line folding)")
        offset += body.index(stripped)
        keep = len(old) - len(stripped)
    prefix, suffix = _middle(old, new)
    if suffix < keep:
        raise EditError("the edit would change a block scalar's final line breaks")
    middle = new[prefix : len(new) - suffix]
    _check_safe(middle)
    return Splice(offset + prefix, offset + len(old) - suffix, middle)


def _check_safe(value: str) -> None:
    """Refuse characters no tag, digest or image name has (quotes, newlines, `#`, spaces)."""
    if not quoting.SAFE_VALUE.match(value):
        raise EditError(f"unsafe characters in new value {value!r}")


def line_ending(text: str, at: int) -> str:
    """The line ending used at `at` (of that line, else the file's first one), default `\\n`."""
    newline = text.find("\n", at)
    if newline < 0:
        newline = text.find("\n")
    return "\r\n" if newline > 0 and text[newline - 1] == "\r" else "\n"


def insert_key(text: str, start: int, end: int, pairs: Sequence[tuple[str, str]]) -> Splice:
    """Insert `key: value` pairs into the mapping that holds the value scalar at `start:end`.

    Block mappings get new lines after the scalar's line, at the column of its key (so a
    sequence entry `- name: x` gets `  newTag: y`); flow mappings get `, key: value`.
    """
    scalar = locate(text, start, end)
    line_start = text.rfind("\n", 0, scalar.start) + 1
    prefix = text[line_start : scalar.start]
    rendered = [f"{key}: {quoting.render(value)}" for key, value in pairs]
    after = text[scalar.end : scalar.end + 200].lstrip(" \t")
    if "{" in prefix or after[:1] in (",", "}"):
        return Splice(scalar.end, scalar.end, "".join(f", {item}" for item in rendered))
    match = _KEY_LINE.match(prefix)
    if match is None or ":" not in match.group("rest"):
        raise EditError("cannot find the key of the entry to insert after")
    indent = " " * len(match.group("indent"))
    eol = line_ending(text, scalar.end)
    newline = text.find("\n", scalar.end)
    if newline < 0:  # last line without a final newline: keep it without one
        return Splice(len(text), len(text), "".join(eol + indent + item for item in rendered))
    lines = "".join(indent + item + eol for item in rendered)
    return Splice(newline + 1, newline + 1, lines)


def apply_splices(text: str, splices: Sequence[Splice]) -> str:
    """Apply non-overlapping splices in one pass, from the end so indices stay valid."""
    # Pieces joined once: re-slicing the whole text per splice was quadratic (16,000 tags on
    # one 2 MB JSON line took seconds).
    pieces: list[str] = []
    last = len(text)
    for item in sorted(splices, key=lambda s: (s.start, s.end), reverse=True):
        if item.end > last:
            raise EditError("overlapping edits")
        pieces += (text[item.end : last], item.new)
        last = item.start
    pieces.append(text[:last])
    return "".join(reversed(pieces))


def overlaps(a: Splice, b: Splice) -> bool:
    """True when two splices touch the same characters (or insert at the same place)."""
    if a.start == a.end or b.start == b.end:
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end
