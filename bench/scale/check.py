"""Compare `tagbot plan --json` with the generator's answers, reference by reference."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Verdict:
    """How the plan compares: right picks, and every difference spelled out."""

    references: int = 0
    expected_updates: int = 0
    found_updates: int = 0
    correct: int = 0  # references whose outcome (update or none) is exactly the expected one
    mismatches: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every reference got exactly the expected outcome."""
        return not self.mismatches and self.correct == self.references


def _show(tag: object, digest: object) -> str:
    if tag is None:
        return "no update"
    return f"{tag}@{str(digest)[:19]}..." if digest else str(tag)


def compare(plan: dict[str, Any], expected: Sequence[dict[str, Any]]) -> Verdict:
    """Match updates to expected references by (file, line) and judge each one."""
    verdict = Verdict(references=len(expected))
    updates: dict[tuple[str, int], dict[str, Any]] = {}
    for update in plan.get("updates", []):
        key = (update["file"], update["line"])
        if key in updates:
            verdict.mismatches.append(f"{key[0]}:{key[1]}: two updates for one reference")
        updates[key] = update
    verdict.found_updates = len(plan.get("updates", []))
    for want in expected:
        key = (want["file"], want["line"])
        got = updates.pop(key, None)
        if want["to"] is not None:
            verdict.expected_updates += 1
        where = f"{key[0]}:{key[1]} {want['image']}:{want['from']} ({want['rule']})"
        got_tag = got["to"] if got else None
        got_digest = got.get("digest") if got else None
        if got is not None and (got["image"], got["from"]) != (want["image"], want["from"]):
            verdict.mismatches.append(f"{where}: update names {got['image']}:{got['from']}")
            continue
        if (got_tag, got_digest) != (want["to"], want["digest"]):
            wanted = _show(want["to"], want["digest"])
            verdict.mismatches.append(
                f"{where}: expected {wanted}, tagbot {_show(got_tag, got_digest)}"
            )
            continue
        verdict.correct += 1
    for (path, line), got in sorted(updates.items()):
        verdict.mismatches.append(f"{path}:{line}: unexpected update {got['from']} -> {got['to']}")
    # Every file with an expected update has a diff, and no other file has one.
    edited = {str(e["file"]) for e in expected if e["to"] is not None}
    diffs = set(plan.get("diffs", {}))
    for path in sorted(edited ^ diffs):
        verdict.mismatches.append(f"{path}: {'no diff' if path in edited else 'unexpected diff'}")
    for problem in plan.get("problems", []):
        verdict.mismatches.append(f"problem: {problem.get('where')}: {problem.get('error')}")
    return verdict
