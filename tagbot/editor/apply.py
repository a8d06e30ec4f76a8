"""Apply Updates to a file's text: plan splices per update, splice once, verify, refuse failures."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from tagbot.editor import digests, quickcheck
from tagbot.editor.shared import conflicts
from tagbot.editor.splice import Splice, apply_splices, insert_key, locate, overlaps, replace_value
from tagbot.editor.verify import Baseline, Expected
from tagbot.errors import EditError
from tagbot.imageref import valid_digest, valid_tag
from tagbot.models import Field, FileEdit, Problem, Update


@dataclass(frozen=True)
class Applied:
    """The edit of one file, and the updates refused with the reason (as Problems)."""

    edit: FileEdit
    refused: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class _Plan:
    """The splices of one update and what re-parsing the result must show."""

    update: Update
    splices: tuple[Splice, ...]
    expected: tuple[Expected, ...]
    touched: frozenset[int]  # start offsets of the fields it changes or inserts beside


def apply(path: str, text: str, updates: Sequence[Update]) -> Applied:
    """Apply `updates` to `text` in one pass; an update that fails verification is refused."""
    refused: list[Problem] = []
    plans: list[_Plan] = []
    taken = _Taken()
    shared = conflicts(path, text, updates)
    for index, update in enumerate(updates):
        if index in shared:
            refused.append(_refusal(path, update, shared[index]))
            continue
        try:
            plan = _plan(text, update)
        except EditError as exc:
            refused.append(_refusal(path, update, str(exc)))
            continue
        if not plan.splices:  # already at the wanted tag and digest
            continue
        if taken.repeats(plan):  # `tag: *v` read by two references, both set to one version
            plans.append(_Plan(update, (), (), plan.touched))
            continue
        if taken.clashes(plan):
            refused.append(_refusal(path, update, "another update already changes this field"))
            continue
        taken.add(plan)
        plans.append(plan)
    if plans and not _proved(text, plans):
        baseline = Baseline(text)
        plans = _verified(path, baseline, plans, refused)
    edit = FileEdit(path, text, _join(text, plans), tuple(p.update for p in plans))
    return Applied(edit, tuple(refused))


def _proved(text: str, plans: Sequence[_Plan]) -> bool:
    """True when one parse of the result proves every plan (quickcheck's argument)."""
    splices = [s for p in plans for s in p.splices]
    return quickcheck.proves(text, apply_splices(text, splices), splices, _expected(plans))


def _verified(
    path: str, baseline: Baseline, plans: Sequence[_Plan], refused: list[Problem]
) -> list[_Plan]:
    """The plans the full check accepts; when they fail together, the offending ones are found
    by adding them one at a time (each refusal into `refused`)."""
    text = baseline.text
    if baseline.check(_join(text, plans), _expected(plans)) is None:
        return list(plans)
    accepted: list[_Plan] = []
    for plan in plans:
        why = baseline.check(_join(text, [*accepted, plan]), _expected([*accepted, plan]))
        if why is None:
            accepted.append(plan)
        else:
            refused.append(_refusal(path, plan.update, why))
    return accepted


def _refusal(path: str, update: Update, why: str) -> Problem:
    return Problem(where=path, error=f"refused edit at line {update.occurrence.line}: {why}")


class _Taken:
    """The fields and spans of the plans accepted so far, so that a clash costs a lookup, not a
    comparison with every plan (a 10,000-document stream has 10,000 updates)."""

    def __init__(self) -> None:
        self.touched: set[int] = set()
        self.splices: list[Splice] = []  # pairwise non-overlapping, sorted by (start, end)

    def repeats(self, plan: _Plan) -> bool:
        """True when an accepted plan already makes exactly this plan's changes."""
        return plan.touched <= self.touched and set(plan.splices) <= set(self.splices)

    def clashes(self, plan: _Plan) -> bool:
        """True when the plan touches a field or characters an accepted plan changes."""
        if plan.touched & self.touched:
            return True
        return any(self._overlapped(s) for s in plan.splices)

    def _overlapped(self, new: Splice) -> bool:
        # Splices starting after `new` ends cannot overlap it. Taken ones do not even touch each
        # other, so their ends rise with their starts: walking back, the first that ends
        # before `new` starts ends the search.
        index = bisect.bisect_right(self.splices, new.end, key=lambda s: s.start)
        for old in reversed(self.splices[:index]):
            if overlaps(old, new):
                return True
            if old.end < new.start:
                return False
        return False

    def add(self, plan: _Plan) -> None:
        """Take the plan's fields and spans."""
        self.touched |= plan.touched
        for splice in plan.splices:
            bisect.insort(self.splices, splice, key=lambda s: (s.start, s.end))


def _join(text: str, plans: Sequence[_Plan]) -> str:
    return apply_splices(text, [s for p in plans for s in p.splices])


def _expected(plans: Sequence[_Plan]) -> list[Expected]:
    return [e for p in plans for e in p.expected]


def _plan(text: str, update: Update) -> _Plan:
    """The splices that move one occurrence to its new tag; raises EditError when it cannot."""
    occ = update.occurrence
    if not occ.rewritable:
        raise EditError(f"reference is not rewritable ({occ.skip_reason or 'unknown image'})")
    if not valid_tag(update.new_tag):
        raise EditError(f"invalid tag {update.new_tag!r}")
    digest = update.new_digest
    if digest is not None and not valid_digest(digest):
        raise EditError(f"invalid digest {digest!r}")
    roles = {role: [f for f in occ.fields if f.role == role] for role in ("image", "tag", "digest")}
    kustomize = occ.kind == "kustomize"
    # Without a digest field the digest goes into the tag value (`1.2@sha256:..`), which is how
    # such files pin one; Kustomize gets its own `digest:` key instead.
    embed = digest if not roles["digest"] and not kustomize else None
    changes: list[tuple[Field, str]] = []
    keys: list[tuple[str, str]] = []
    if roles["tag"]:
        changes += [(f, update.new_tag + (f"@{embed}" if embed else "")) for f in roles["tag"]]
    elif roles["image"]:
        for f in roles["image"]:
            changes.append((f, retag(_current(text, f).rstrip("\n"), update.new_tag, embed)))
    elif kustomize:
        keys.append(("newTag", update.new_tag))
    else:
        raise EditError("the reference has no tag field to change")
    # A stale digest is never left beside a new tag: the new one, else an empty value (see
    # _digest_value for why the field is emptied rather than removed).
    changes += [(f, digests.value(text, f, digest)) for f in roles["digest"]]
    digests.check_switch(occ.fields, digest)
    if kustomize and digest and not roles["digest"]:
        keys.append(("digest", digest))
    return _build(text, update, changes, keys)


def _build(
    text: str, update: Update, changes: list[tuple[Field, str]], keys: list[tuple[str, str]]
) -> _Plan:
    splices: list[Splice] = []
    expected: list[Expected] = []
    touched: set[int] = set()
    for field, core in changes:
        current = _current(text, field)
        # A block scalar's value ends with its line break (`|`): the new value keeps it.
        value = core + current[len(current.rstrip("\n")) :]
        splice = replace_value(text, field.start, field.end, current, value)
        touched.add(field.start)
        if splice is None:  # already right: verification checks it stays exactly as it was
            continue
        splices.append(splice)
        expected.append(Expected(field.start, field.end, value))
    if keys:
        anchor = _insert_anchor(update, keys)
        splices.append(insert_key(text, anchor.start, anchor.end, keys))
        touched.add(anchor.start)
        expected.append(Expected(anchor.start, anchor.end, None, tuple(keys)))
    return _Plan(update, tuple(splices), tuple(expected), frozenset(touched))


def _insert_anchor(update: Update, keys: list[tuple[str, str]]) -> Field:
    """The field after whose line new keys go: newTag after newName (else name), digest after newTag."""
    fields = update.occurrence.fields
    roles = ("tag",) if keys[0][0] == "digest" else ("repository",)
    candidates = [f for f in fields if f.role in roles]
    if not candidates:
        raise EditError("the Kustomize entry has no name to insert newTag after")
    return max(candidates, key=lambda f: f.start)


def _current(text: str, field: Field) -> str:
    """What the scalar reads now: its source body when that is verbatim, else the field value."""
    scalar = locate(text, field.start, field.end)
    body = text[scalar.body_start : scalar.body_end]
    if scalar.style in (None, "'", '"') and body.endswith(field.value) and "\n" not in body:
        verbatim = "''" not in body if scalar.style == "'" else "\\" not in body
        if verbatim:
            return body  # also covers an extractor that gives only the ref of `alias=ref`
    return field.value


def retag(value: str, tag: str, digest: str | None) -> str:
    """`[alias=]name[:tag][@digest]` with a new tag and digest; the name is kept as written."""
    alias, eq, ref = value.rpartition("=")  # Argo CD `alias=newName:tag` keeps its alias
    name = ref.partition("@")[0]
    colon = name.rfind(":")
    if colon > name.rfind("/"):
        name = name[:colon]
    return f"{alias}{eq}{name}:{tag}" + (f"@{digest}" if digest else "")
