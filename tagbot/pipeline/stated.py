"""References a config rule states (`references:`): the identity of an uncertain reference, or
a tag under a key no convention names. Applied wherever files are read, races included.

A rule's `file` glob is matched against the file's path relative to the config repository's
root (the checkout `plan` and `run` read), whichever command reads the file and from where."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from tagbot import globs, imageref
from tagbot.editor import identity, named
from tagbot.editor.load import DUPLICATE
from tagbot.models import Occurrence, Problem, StatedReference


@dataclass
class RuleUse:
    """What the rules did in one walk, by rule index: files their glob matched, the rules that
    found their locator in one of them, and the problems met: a note for each rule a file's own
    image overrode, an error for a stated reference under a duplicate key."""

    files: Counter[int] = field(default_factory=Counter)
    applied: set[int] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)

    def add(self, other: RuleUse) -> None:
        """Take in what the rules did in another file (read in another process, say)."""
        self.files.update(other.files)
        self.applied |= other.applied
        self.problems.extend(other.problems)


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
    scalar there becomes a reference of its own, replacing the uncertain references that share
    its field. A reference whose image the file states (or an earlier rule did) is never
    replaced. `rel` is the path the references are reported by; `use` records what applied."""
    result = list(found)
    use = use if use is not None else RuleUse()
    for index, rule in enumerate(rules):
        if not globs.match(rule.file, rel if name is None else name):
            continue
        use.files[index] += 1
        at = [i for i, occ in enumerate(result) if occ.locator == rule.locator]
        for i in at:
            stated = identity.state(result[i], rule.image)
            if stated is result[i]:
                _check(rel, index, rule, result[i], use)
            result[i] = stated
        made = None if at else named.find(rel, text, rule.locator, rule.image)
        if not at and made is None:
            continue
        use.applied.add(index)
        if made is None:
            continue
        if (made.skip_reason or "").startswith(DUPLICATE):  # as load reports the file's own
            use.problems.append(Problem(rel, f"reference at line {made.line}: {made.skip_reason}"))
        starts = {f.start for f in made.fields}
        shared = [o for o in result if starts & {f.start for f in o.fields}]
        kept = [o for o in shared if identity.state(o, rule.image) is o and o.image is not None]
        for occ in kept:
            _check(rel, index, rule, occ, use)
        if not kept:
            result = [o for o in result if o not in shared] + [made]
    return tuple(sorted(result, key=lambda o: o.line))


def _check(rel: str, index: int, rule: StatedReference, occ: Occurrence, use: RuleUse) -> None:
    """A note when a reference whose identity is certain names another image than the rule."""
    if occ.image is None or occ.image.name == imageref.parse_name(rule.image).name:
        return
    where = rule.where or f"references[{index}]"
    error = (
        f"{occ.locator} names {occ.image.name}, so {where} (image {rule.image}, locator "
        f"{rule.locator}) is not applied: a rule states an identity only where tagbot cannot tell"
    )
    use.problems.append(Problem(rel, error, level="info"))


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
