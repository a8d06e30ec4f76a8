"""`tagbot scan [PATH...]`: the inventory of image references in a config repo's YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagbot import pipeline, report
from tagbot.commands.common import JsonOpt, existing

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(metavar="PATH", help="Files or directories to scan (default: .).", show_default=False),
]  # fmt: skip


def command(paths: PathsArg = None, json_output: JsonOpt = False) -> None:
    """List every image reference (exit 1 when a file could not be read, 2 for a missing PATH)."""
    roots = existing(paths or [Path(".")])
    found = pipeline.discover(roots)
    if json_output:
        report.print_json(report.scan_json(found.occurrences, found.problems))
    else:
        report.print_scan(found.occurrences, found.problems)
    report.print_problems(found.problems)
    raise typer.Exit(1 if any(p.level == "error" for p in found.problems) else 0)
