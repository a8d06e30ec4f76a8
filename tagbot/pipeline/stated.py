"""References a config rule states (`references:`): the identity of an uncertain reference, or
a tag under a key no convention names. Applied wherever files are read, races included."""

from __future__ import annotations

from collections.abc import Sequence

from tagbot import globs
from tagbot.editor import identity, named
from tagbot.models import Occurrence, StatedReference


def matching(rel: str, rules: Sequence[StatedReference]) -> list[StatedReference]:
    """The rules whose file glob matches the path."""
    return [r for r in rules if globs.match(r.file, rel)]


def apply_stated(
    rel: str, text: str, found: Sequence[Occurrence], rules: Sequence[StatedReference]
) -> tuple[Occurrence, ...]:
    """`found` with each matching rule applied: a reference at the rule's locator takes the
    stated image (only an uncertain one changes); otherwise the scalar there becomes a
    reference of its own, replacing any reference that shares its field."""
    result = list(found)
    for rule in matching(rel, rules):
        at = [i for i, occ in enumerate(result) if occ.locator == rule.locator]
        if at:
            for i in at:
                result[i] = identity.state(result[i], rule.image)
            continue
        made = named.find(rel, text, rule.locator, rule.image)
        if made is None:
            continue
        starts = {f.start for f in made.fields}
        result = [o for o in result if not starts & {f.start for f in o.fields}]
        result.append(made)
    return tuple(sorted(result, key=lambda o: o.line))
