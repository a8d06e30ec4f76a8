"""Flux image-automation setter markers (`# {"$imagepolicy": "ns:policy[:name|tag|digest]"}`)
on scalars that no structural backend already reports."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from ruamel.yaml.nodes import ScalarNode

from tagbot.editor import refs, yamldoc
from tagbot.editor.yamldoc import Document, Visit
from tagbot.models import Field, Occurrence, Role

# fluxcd/image-automation-controller internal/update/setters.go: the marker is a line comment.
MARKER = re.compile(r'#\s*\{\s*"\$imagepolicy"\s*:\s*"([^"]+)"\s*\}')
_ROLES: dict[str, Role] = {"": "image", "name": "repository", "tag": "tag", "digest": "digest"}


def find(docs: Sequence[Document], text: str, claimed: set[int]) -> Iterator[Occurrence]:
    """Marked scalars whose start index is not in `claimed`, grouped by policy and mapping."""
    if "$imagepolicy" not in text:
        return
    marks = [(m.start(), text.count("\n", 0, m.start()), m.group(1)) for m in MARKER.finditer(text)]
    if not marks:
        return
    for doc in docs:
        by_line: dict[int, list[Visit]] = {}
        for v in yamldoc.walk(doc.root):
            if isinstance(v.node, ScalarNode) and v.path:
                for n in range(v.node.start_mark.line, v.node.end_mark.line + 1):
                    by_line.setdefault(n, []).append(v)
        groups: dict[tuple[str, int], list[tuple[Field, Visit]]] = {}
        for position, line, setter in marks:
            visit = _marked(by_line.get(line, []), position, line)
            policy, _, part = setter.rpartition(":") if setter.count(":") == 2 else (setter, "", "")
            role = _ROLES.get(part)
            if visit is None or role is None or visit.node.start_mark.index in claimed:
                continue
            node: ScalarNode = visit.node  # type: ignore[assignment]
            # Name, tag and digest markers of one policy in one mapping make one reference.
            key = (policy, id(visit.parents[-1]) if role != "image" else node.start_mark.index)
            groups.setdefault(key, []).append((yamldoc.field(node, role), visit))
        for members in groups.values():
            yield _occurrence(doc, members)


def _marked(values: list[Visit], position: int, line: int) -> Visit | None:
    """The scalar a marker at `position` comments on: the last one ending before it on its line.

    `values` are the scalars that touch that line.
    """
    found = None
    for visit in values:
        start, end = visit.node.start_mark, visit.node.end_mark
        if start.index < position < end.index:
            return None  # the `#` is inside a value (a quoted string, a block scalar): no comment
        if end.line == line and end.index <= position:
            found = visit
    return found


def _occurrence(doc: Document, members: list[tuple[Field, Visit]]) -> Occurrence:
    fields = {f.role: f for f, _ in members}
    located = doc.locator(members[0][1].path)
    if "image" in fields:
        resolved = refs.from_string(fields["image"].value)
    else:
        parts = {
            r: fields[r].value if r in fields else None for r in ("repository", "tag", "digest")
        }
        resolved = refs.from_parts(None, parts["repository"], parts["tag"], parts["digest"])
    return refs.occurrence(doc.path, "marker", located, fields.values(), resolved)
