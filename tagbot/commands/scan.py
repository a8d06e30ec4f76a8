"""`tagbot scan [PATH...]`: the inventory of image references in a config repo's YAML files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer

from tagbot import redact
from tagbot.commands.common import JsonOpt, print_json
from tagbot.editor import extract, iter_files, textio
from tagbot.errors import ConfigError, EditError
from tagbot.models import Occurrence, Problem
from tagbot.report import problem_json

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(metavar="[PATH]...", help="Files or directories to scan (default: .).", show_default=False),
]  # fmt: skip


def scan(paths: Sequence[Path]) -> tuple[list[Occurrence], list[Problem]]:
    """Every reference in the YAML files under `paths`, and every file that could not be read."""
    found: list[Occurrence] = []
    problems: list[Problem] = []
    for path, rel, skip in iter_files(paths):
        if skip is not None:
            problems.append(Problem(rel, f"skipped: {skip}"))
            continue
        try:
            text = textio.read(path).text
        except (EditError, OSError) as exc:  # changed since the walk looked at it
            problems.append(Problem(rel, f"skipped: {exc}"))
            continue
        result = extract(rel, text)
        found.extend(result.occurrences)
        if result.problem is not None:
            problems.append(result.problem)
    return found, problems


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
    }


def table(found: Sequence[Occurrence]) -> str:
    """A readable table: where, kind, reference, and why tagbot would leave it alone."""
    rows = [("FILE:LINE", "KIND", "REFERENCE", "SKIPPED")]
    for occ in found:
        shown = str(occ.image) if occ.image else "-"
        if occ.image and occ.image.digest:  # 12 hex digits identify a digest to a reader
            shown = shown[: shown.index("@") + 20] + "…"
        rows.append((f"{occ.path}:{occ.line}", occ.kind, shown, occ.skip_reason or ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    return "\n".join(line.rstrip() for line in lines)


def command(paths: PathsArg = None, json_output: JsonOpt = False) -> None:
    """List every image reference (exit 1 when a file could not be read, 2 for a missing PATH)."""
    roots = paths or [Path(".")]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        raise ConfigError(f"no such file or directory: {', '.join(missing)}")
    found, problems = scan(roots)
    if json_output:
        references = [reference_json(o) for o in found]
        print_json({"references": references, "problems": [problem_json(p) for p in problems]})
    else:
        typer.echo(table(found))
        files = len({o.path for o in found})
        typer.echo(f"\n{len(found)} references in {files} files, {len(problems)} problems")
    for problem in problems:
        typer.echo(f"tagbot: {problem.where}: {redact.scrub(problem.error)}", err=True)
    raise typer.Exit(1 if problems else 0)
