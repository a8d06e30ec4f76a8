"""Markdown for job summaries (`$GITHUB_STEP_SUMMARY`): the update table, environments,
proposals, problems."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from tagbot import redact
from tagbot.models import RunReport
from tagbot.report.console import proposal_state
from tagbot.report.jsondoc import update_json

log = logging.getLogger("tagbot.report")


def markdown(report: RunReport) -> str:
    """A Markdown summary: the update table, proposals and problems."""
    lines = ["## tagbot", ""]
    if report.updates:
        lines += ["| file | line | image | from | to | reason |", "|---|---|---|---|---|---|"]
        for u in report.updates:
            j = update_json(u)
            cells = [j["file"], str(j["line"]), j["image"] or "?", f"`{j['from']}`", f"`{j['to']}`"]
            cells.append(j["reason"] or "")
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    else:
        lines.append("No updates.")
    if report.stages:
        lines += [
            "",
            "### Environments",
            "",
            "| environment | image | runs | next |",
            "|---|---|---|---|",
        ]
        for stage in report.stages:
            following = f"`{stage.candidate}` now" if stage.eligible else stage.note
            cells = [stage.environment or "-", stage.image, f"`{stage.runs}`", following]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    changed = [p for p in report.proposals if p.changed]
    if changed:
        lines.append("")
    for p in changed:
        lines.append(redact.scrub(f"- {proposal_state(p)} {p.url or f'`{p.branch}`'}"))
    if report.problems:
        lines += ["", "### Problems", ""]
        lines += [f"- `{p.where}`: {redact.scrub(p.error)}" for p in report.problems]
    return "\n".join(lines) + "\n"


def write_step_summary(report: RunReport) -> None:
    """Append the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is set."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    try:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(markdown(report))
    except OSError as exc:  # a summary that cannot be written must not lose the run's report
        log.warning("job summary not written", extra={"path": target, "error": exc.strerror})
