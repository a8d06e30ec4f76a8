"""What people read: the plan/run summary, the scan table, set's changes, problems on stderr."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from tagbot import logs, redact
from tagbot.models import Occurrence, Problem, ProposalResult, RunReport, Stage
from tagbot.report.jsondoc import update_json

if TYPE_CHECKING:
    from rich.console import Console

log = logging.getLogger("tagbot.report")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with control characters (an ESC sequence, a newline in a file name) shown as
    `\\xNN`, so a hostile name cannot drive the terminal or break a table."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def proposal_state(proposal: ProposalResult) -> str:
    """`opened`, `updated` or `unchanged` for a PR/MR; `pushed` or `unchanged` for a branch."""
    if not proposal.changed:
        return "unchanged"
    if proposal.url is None:
        return "pushed"
    return "opened" if proposal.created else "updated"


def proposal_line(proposal: ProposalResult) -> str:
    """`STATE: URL-or-branch`, scrubbed: a URL came from a server and may echo a token."""
    return redact.scrub(f"{proposal_state(proposal)}: {proposal.url or proposal.branch}")


def print_problems(problems: Sequence[Problem]) -> None:
    """`tagbot: WHERE: ERROR` on stderr for each problem, so a CI log names what failed; one
    JSON log line each with `--log-format json`."""
    json_logs = not logs.interactive()
    for problem in problems:
        if json_logs:
            fields = {
                "where": problem.where,
                "error": problem.error,
                "transient": problem.transient,
            }
            (log.info if problem.level == "info" else log.error)("problem", extra=fields)
            continue
        level = "info: " if problem.level == "info" else ""
        text = printable(f"{problem.where}: {redact.scrub(problem.error)}")
        print(f"tagbot: {level}{text}", file=sys.stderr)


def stage_line(stage: Stage) -> str:
    """`prod  api  runs 1.4.1 since 2026-12-01 09:00 UTC  1.4.2 eligible in 17 h ...`."""
    since = f" since {stage.since:%Y-%m-%d %H:%M} UTC" if stage.since else ""
    head = f"{stage.environment or '-'}  {stage.image}  runs {stage.runs or '?'}{since}"
    if stage.eligible and stage.candidate:
        return f"{head}  -> {stage.candidate} now"
    return f"{head}  {stage.note}" if stage.note else head


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
    if report.stages:
        out.print("environments:")
    for stage in report.stages:
        out.print(f"  {escape(stage_line(stage))}")
    if diffs:
        for edit in report.edits:
            if edit.changed:
                out.out(edit.diff(), end="")
    for p in report.proposals:
        out.print(escape(proposal_line(p)))
    for problem in report.problems:
        text = escape(f"{problem.where}: {redact.scrub(problem.error)}")
        label = "note" if problem.level == "info" else "[red]problem[/red]"  # info: no failure
        out.print(f"{label} {text}")


def print_set(report: RunReport, *, diffs: bool) -> None:
    """`set`'s output: the unified diff on a dry run, else one line per change and proposal."""
    if diffs:
        sys.stdout.write("".join(e.diff() for e in report.edits))
        return
    for update in report.updates:
        occ, to = update.occurrence, update.new_tag
        to += f"@{update.new_digest}" if update.new_digest else ""
        print(printable(f"{occ.path}:{occ.line}: {occ.image} -> {to}"))
    for result in report.proposals:
        print(proposal_line(result))


def scan_table(found: Sequence[Occurrence]) -> str:
    """A readable table: where, kind, reference, and why tagbot would leave it alone."""
    rows = [("FILE:LINE", "KIND", "REFERENCE", "SKIPPED")]
    for occ in found:
        shown = str(occ.image) if occ.image else "-"
        if occ.image and occ.image.digest:  # 12 hex digits identify a digest to a reader
            shown = shown[: shown.index("@") + 20] + "…"
        where = printable(f"{occ.path}:{occ.line}")
        rows.append((where, occ.kind, printable(shown), printable(occ.skip_reason or "")))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def print_scan(found: Sequence[Occurrence], problems: Sequence[Problem]) -> None:
    """The scan table and its one-line summary."""
    print(scan_table(found))
    files = len({o.path for o in found})
    counts = (
        plural(len(found), "reference"),
        plural(files, "file"),
        plural(sum(p.level == "error" for p in problems), "problem"),  # info notes are no failure
    )
    print("\n{} in {}, {}".format(*counts))


def plural(count: int, noun: str) -> str:
    """`1 file`, `2 files`, `0 files`."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def print_repositories(reports: Sequence[tuple[str, RunReport]], *, diffs: bool) -> None:
    """Each repository's summary under a `== REPOSITORY` heading."""
    for name, report in reports:
        print(f"== {redact.scrub(name)}", flush=True)
        print_console(report, diffs=diffs)
