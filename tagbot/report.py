"""Render a RunReport: JSON (the CLI contract), a console summary, and Markdown for job summaries."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tagbot import redact
from tagbot.models import Problem, RunReport, Update

if TYPE_CHECKING:
    from rich.console import Console


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
        data["proposals"] = [
            {
                "branch": p.branch,
                "url": p.url,
                "number": p.number,
                "created": p.created,
                "changed": p.changed,
            }
            for p in report.proposals
        ]
    return data


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
    for p in report.proposals:
        if p.url:
            lines.append(f"- {'opened' if p.created else 'updated'} {p.url}")
    if report.problems:
        lines += ["", "### Problems", ""]
        lines += [f"- `{p.where}`: {redact.scrub(p.error)}" for p in report.problems]
    return "\n".join(lines) + "\n"


def write_step_summary(report: RunReport) -> None:
    """Append the Markdown summary to `$GITHUB_STEP_SUMMARY` when it is set."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(markdown(report))


def print_console(report: RunReport, *, diffs: bool, console: Console | None = None) -> None:
    """A readable summary on stdout: one line per update, diffs when asked, proposals, problems."""
    from rich.console import Console  # ~50 ms to import: only the commands that print pay

    out = console or Console(highlight=False, soft_wrap=True)
    if not report.updates:
        out.print("no updates")
    for u in report.updates:
        j = update_json(u)
        image = u.occurrence.image.familiar if u.occurrence.image else "?"
        out.print(f"{j['file']}:{j['line']}  {image}  {j['from']} -> [bold]{j['to']}[/bold]")
        if j["reason"]:
            out.print(f"    {j['reason']}", style="dim")
    if diffs:
        for edit in report.edits:
            if edit.changed:
                out.out(edit.diff(), end="")
    for p in report.proposals:
        state = "opened" if p.created else "updated" if p.changed else "unchanged"
        out.print(f"{state}: {p.url or p.branch}")
    for problem in report.problems:
        out.print(f"[red]problem[/red] {problem.where}: {redact.scrub(problem.error)}")
