"""The JSON contract of every command (DESIGN.md): one document on stdout, secrets scrubbed."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tagbot import redact
from tagbot.models import (
    Occurrence,
    Problem,
    ProposalResult,
    Rejection,
    RunReport,
    Selection,
    Stage,
    Tag,
    TagList,
    Update,
)


def print_json(data: dict[str, Any]) -> None:
    """Write one JSON document to stdout."""
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


def update_json(update: Update) -> dict[str, Any]:
    """One update as the JSON contract's `{"file", "line", "image", "from", "to", "reason"}`."""
    occ = update.occurrence
    return {
        "file": occ.path,
        "line": occ.line,
        "image": occ.image.name if occ.image else None,
        "from": update.old_tag,
        "to": update.new_tag,
        "digest": update.new_digest,
        "reason": update.reason,
    }


def change_json(update: Update) -> dict[str, Any]:
    """One change of `set` as `{"file", "line", "image", "from", "to", "digest"}`."""
    data = update_json(update)
    del data["reason"]
    return data


def problem_json(problem: Problem) -> dict[str, Any]:
    """One problem as `{"where", "error", "transient"}` (and `"level": "info"` for a note that
    is not a failure, such as a skipped Helm template), scrubbed of secrets."""
    found: dict[str, Any] = {
        "where": problem.where,
        "error": redact.scrub(problem.error),
        "transient": problem.transient,
    }
    if problem.level != "error":  # error records keep the shape they always had
        found["level"] = problem.level
    return found


def proposal_json(proposal: ProposalResult) -> dict[str, Any]:
    """One published change set as `{"branch", "url", "number", "created", "changed"}`."""
    return {
        "branch": proposal.branch,
        "url": redact.scrub(proposal.url) if proposal.url else None,
        "number": proposal.number,
        "created": proposal.created,
        "changed": proposal.changed,
    }


def _time(when: datetime | None) -> str | None:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z") if when else None


def stage_json(stage: Stage) -> dict[str, Any]:
    """One image in one environment: `{"image", "environment", "runs", "since", "candidate",
    "eligible", "eligible_at", "note"}` (times in UTC, RFC 3339)."""
    return {
        "image": stage.image,
        "environment": stage.environment,
        "runs": stage.runs,
        "since": _time(stage.since),
        "candidate": stage.candidate,
        "eligible": stage.eligible,
        "eligible_at": _time(stage.eligible_at),
        "note": stage.note,
    }


def report_json(report: RunReport, *, diffs: bool = False) -> dict[str, Any]:
    """The plan/run JSON document; `proposals` only when something was published, `stages`
    only with `environments:` in the config."""
    data: dict[str, Any] = {
        "updates": [update_json(u) for u in report.updates],
        "problems": [problem_json(p) for p in report.problems],
    }
    if diffs:
        data["diffs"] = {e.path: e.diff() for e in report.edits if e.changed}
    if report.proposals:
        data["proposals"] = [proposal_json(p) for p in report.proposals]
    if report.stages:
        data["stages"] = [stage_json(s) for s in report.stages]
    return data


def set_json(report: RunReport) -> dict[str, Any]:
    """The `set` JSON document: `changes`, `problems`, and `proposals` when published."""
    data: dict[str, Any] = {
        "changes": [change_json(u) for u in report.updates],
        "problems": [problem_json(p) for p in report.problems],
    }
    if report.proposals:
        data["proposals"] = [proposal_json(p) for p in report.proposals]
    return data


def reference_json(occ: Occurrence) -> dict[str, Any]:
    """One reference as the JSON contract's record (DESIGN.md, `tagbot scan --json`)."""
    image = occ.image
    return {
        "file": occ.path,
        "kind": occ.kind,
        "locator": occ.locator,
        "line": occ.line,
        "image": image.name if image else None,
        "tag": image.tag if image else None,
        "digest": image.digest if image else None,
        "fields": [{"role": f.role, "line": f.line, "column": f.column} for f in occ.fields],
        "skip_reason": occ.skip_reason,
        **({"identity": occ.identity_note} if occ.identity_note else {}),
    }


def scan_json(references: Sequence[Occurrence], problems: Sequence[Problem]) -> dict[str, Any]:
    """The `scan` JSON document: every reference and every file problem."""
    return {
        "references": [reference_json(o) for o in references],
        "problems": [problem_json(p) for p in problems],
    }


def listing_json(
    listing: TagList, selected: str | None = None, rejected: Sequence[Rejection] = ()
) -> dict[str, Any]:
    """The `tags` contract: `{"image", "tags", "selected", "rejected": [{"tag", "reason"}]}`."""
    return {
        "image": listing.image.name,
        "tags": list(listing.names),
        "selected": selected,
        "rejected": [{"tag": r.tag, "reason": r.reason} for r in rejected],
    }


def selection_json(image: str, tags: Sequence[Tag], selection: Selection) -> dict[str, Any]:
    """The `tags --json` document with a policy (DESIGN.md), plus the reason and digest."""
    return {
        "image": image,
        "tags": [t.name for t in tags],
        "selected": selection.selected,
        "reason": selection.reason,
        "digest": selection.digest,
        "rejected": [{"tag": r.tag, "reason": r.reason} for r in selection.rejected],
    }


def repositories_json(reports: Sequence[tuple[str, RunReport]], *, diffs: bool) -> dict[str, Any]:
    """A run over many repositories: one plan/run document per repository, in config order."""
    return {
        "repositories": [
            {"repository": redact.scrub(name), **report_json(report, diffs=diffs)}
            for name, report in reports
        ]
    }
