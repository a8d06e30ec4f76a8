"""References a config rule states (`references:`): the identity of an uncertain reference, or
a tag under a key no convention names. Applied wherever files are read, races included.

A rule's `file` glob is matched against the file's path relative to the config repository's
root (the checkout `plan` and `run` read), whichever command reads the file and from where."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from tagbot import globs
from tagbot.editor import identity, named
from tagbot.models import Occurrence, Problem, StatedReference


@dataclass
class RuleUse:
    """What the rules did in one walk, by rule index: files their glob matched, and the rules
    that found their locator in one of them."""

    files: Counter[int] = field(default_factory=Counter)
    applied: set[int] = field(default_factory=set)


def matching(name: str, rules: Sequence[StatedReference]) -> list[StatedReference]:
    """The rules whose file glob matches the path (relative to the repository root)."""
    return [r for r in rules if globs.match(r.file, name)]


def apply_stated(
    rel: str,
    text: str,
    found: Sequence[Occurrence],
    rules: Sequence[StatedReference],
    *,
    name: str | None = None,
    use: RuleUse | None = None,
) -> tuple[Occurrence, ...]:
    """`found` with each rule whose glob matches `name` (else `rel`) applied: a reference at
    the rule's locator takes the stated image (only an uncertain one changes); otherwise the
    scalar there becomes a reference of its own, replacing any reference that shares its
    field. `rel` is the path the references are reported by; `use` records what applied."""
    result = list(found)
    for index, rule in enumerate(rules):
        if not globs.match(rule.file, rel if name is None else name):
            continue
        if use is not None:
            use.files[index] += 1
        at = [i for i, occ in enumerate(result) if occ.locator == rule.locator]
        if at:
            for i in at:
                result[i] = identity.state(result[i], rule.image)
        else:
            made = named.find(rel, text, rule.locator, rule.image)
            if made is None:
                continue
            starts = {f.start for f in made.fields}
            result = [o for o in result if not starts & {f.start for f in o.fields}]
            result.append(made)
        if use is not None:
            use.applied.add(index)
    return tuple(sorted(result, key=lambda o: o.line))


def unused(rules: Sequence[StatedReference], use: RuleUse) -> list[Problem]:
    """An info-level problem for each rule that changed nothing in a whole repository: its glob
    matched no file tagbot reads, or no matched file has a value at its locator."""
    problems = []
    for index, rule in enumerate(rules):
        where = rule.where or f"references[{index}]"
        count = use.files[index]
        if not count:
            error = (
                f"file {rule.file!r} matches no file tagbot reads (globs are relative to the "
                "repository root; include and exclude apply)"
            )
        elif index not in use.applied:
            files = "the file" if count == 1 else f"any of the {count} files"
            error = f"locator {rule.locator!r} names no value in {files} {rule.file!r} matches"
        else:
            continue
        problems.append(Problem(where, f"{error}; the rule changes nothing", level="info"))
    return problems
