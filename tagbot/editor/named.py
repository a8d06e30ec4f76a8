"""A tag under a key no convention names (`app.version`), found by the key path a config rule
gives together with the image it belongs to: the editor half of such a rule."""

from __future__ import annotations

import json
import re

from ruamel.yaml.nodes import Node, ScalarNode, SequenceNode

from tagbot import imageref
from tagbot.editor import dupkeys, refs, yamldoc
from tagbot.errors import ConfigError, EditError
from tagbot.models import Kind, Occurrence

# A locator as tagbot prints it: `doc[2]:a.b[0]."c.d"`.
_PART = re.compile(r'\.?(?:("(?:[^"\\]|\\.)*")|([A-Za-z0-9_-]+))|\[(\d+)\]')
_DOC = re.compile(r"doc\[(\d+)\]:")


def parse_locator(locator: str) -> tuple[int | None, tuple[str | int, ...]]:
    """(document number or None, key path) of a locator; raises ConfigError when malformed."""
    doc = None
    match = _DOC.match(locator)
    if match:
        doc, locator = int(match.group(1)), locator[match.end() :]
    parts: list[str | int] = []
    at = 0
    while at < len(locator):
        part = _PART.match(locator, at)
        if part is None or part.end() == at:
            raise ConfigError(f"bad key path {locator!r} at character {at + 1}")
        quoted, bare, index = part.groups()
        parts.append(int(index) if index else json.loads(quoted) if quoted else bare)
        at = part.end()
    if not parts:
        raise ConfigError("empty key path")
    return doc, tuple(parts)


def find(
    path: str, text: str, locator: str, image: str, kind: Kind = "helm-values"
) -> Occurrence | None:
    """The tag at `locator` in `text` as a reference to `image` (a name without tag), or None
    when the file has no scalar there. Raises ConfigError for a bad locator or image name."""
    number, parts = parse_locator(locator)
    stated = imageref.parse_name(image)
    try:
        roots = yamldoc.compose(text)
    except EditError:
        return None  # the file's own problem is reported by extract
    if number is None and len(roots) != 1:
        return None
    if number is not None and not 1 <= number <= len(roots):
        return None
    root = roots[(number or 1) - 1]
    node = _at(root, parts)
    if not isinstance(node, ScalarNode):
        return None
    tag = yamldoc.text(node) or ""
    field = yamldoc.field(node, "tag")
    if field.start in dupkeys.duplicated(root):  # the consumer may read the other one
        refused = refs.Resolved(
            stated.with_version(tag or None, None), f"duplicate key at line {field.line}"
        )
        return _stated(refs.occurrence(path, kind, locator, [field], refused), image, locator)
    resolved = refs.Resolved(stated.with_version(tag or None, None))
    if refs.templated(tag):
        resolved = refs.Resolved(None, refs.TEMPLATED)
    elif not tag:
        resolved = refs.Resolved(resolved.image, refs.NO_TAG)
    elif not imageref.valid_tag(tag):
        resolved = refs.Resolved(None, f"invalid tag {tag!r}")
    return _stated(refs.occurrence(path, kind, locator, [field], resolved), image, locator)


def _stated(found: Occurrence, image: str, locator: str) -> Occurrence:
    return Occurrence(
        found.path, found.kind, found.locator, found.line, found.image, found.fields,
        found.skip_reason, identity_note=f"stated by config: {image} at {locator}",
    )  # fmt: skip


def _at(root: Node, parts: tuple[str | int, ...]) -> Node | None:
    node: Node | None = root
    for part in parts:
        if isinstance(part, int):
            if not isinstance(node, SequenceNode) or part >= len(node.value):
                return None
            node = node.value[part]
        else:
            node = yamldoc.get(node, part)
    return node
