"""Render a RunReport: JSON (the CLI contract), a console summary, and Markdown for job summaries."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tagbot import redact
from tagbot.models import Problem, ProposalResult, RunReport, Update

if TYPE_CHECKING:
    from rich.console import Console

log = logging.getLogger("tagbot.report")


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


def problem_json(problem: Problem) -> dict[str, Any]:
    """One problem as `{"where", "error", "transient"}`, scrubbed of secrets."""
    return {
        "where": problem.where,
        "error": redact.scrub(problem.error),
        "transient": problem.transient,
    }


def report_json(report: RunReport, *, diffs: bool = False) -> dict[str, Any]:
    """The plan/run JSON document; `proposals` only when something was published."""
    data: dict[str, Any] = {
        "updates": [update_json(u) for u in report.updates],
        "problems": [problem_json(p) for p in report.problems],
    }
    if diffs:
        data["diffs"] = {e.path: e.diff() for e in report.edits if e.changed}
    if report.proposals:
        data["proposals"] = [proposal_json(p) for p in report.proposals]
    return data


def proposal_json(proposal: ProposalResult) -> dict[str, Any]:
    """One published change set as `{"branch", "url", "number", "created", "changed"}`."""
    return {
        "branch": proposal.branch,
        "url": proposal.url,
        "number": proposal.number,
        "created": proposal.created,
        "changed": proposal.changed,
    }


def proposal_state(proposal: ProposalResult) -> str:
    """`opened`, `updated` or `unchanged` for a PR/MR; `pushed` or `unchanged` for a branch."""
    if not proposal.changed:
        return "unchanged"
    if proposal.url is None:
        return "pushed"
    return "opened" if proposal.created else "updated"


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
    changed = [p for p in report.proposals if p.changed]
    if changed:
        lines.append("")
    for p in changed:
        lines.append(f"- {proposal_state(p)} {p.url or f'`{p.branch}`'}")
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


def print_console(report: RunReport, *, diffs: bool, console: Console | None = None) -> None:
    """A readable summary on stdout: one line per update, diffs when asked, proposals, problems."""
    from rich.console import Console  # ~50 ms to import: only the commands that print pay
    from rich.markup import escape  # file names, reasons (regexes) and errors may hold `[...]`

    out = console or Console(highlight=False, soft_wrap=True)
    if not report.updates:
        out.print("no updates")
    for u in report.updates:
        j = update_json(u)
        image = u.occurrence.image.familiar if u.occurrence.image else "?"
        where = escape(f"{j['file']}:{j['line']}  {image}  {j['from']} -> ")
        out.print(f"{where}[bold]{escape(j['to'])}[/bold]")
        if j["reason"]:
            out.print(f"    {escape(j['reason'])}", style="dim")
    if diffs:
        for edit in report.edits:
            if edit.changed:
                out.out(edit.diff(), end="")
    for p in report.proposals:
        out.print(escape(f"{proposal_state(p)}: {p.url or p.branch}"))
    for problem in report.problems:
        text = escape(f"{problem.where}: {redact.scrub(problem.error)}")
        out.print(f"[red]problem[/red] {text}")
