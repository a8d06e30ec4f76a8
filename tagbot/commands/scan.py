"""`tagbot scan [PATH...]`: the inventory of image references in a config repo's YAML files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagbot import pipeline, report
from tagbot.commands.common import ConfigFileOpt, JsonOpt, existing

PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(metavar="PATH", help="Files or directories to scan (default: .).", show_default=False),
]  # fmt: skip


def command(
    paths: PathsArg = None, json_output: JsonOpt = False, config: ConfigFileOpt = None
) -> None:
    """List every image reference (exit 1 when a file could not be read, 2 for a missing PATH);
    with --config, its `references` rules apply as in `plan` (globs relative to the root of the
    repository holding the config, whatever PATH is given)."""
    roots = existing(paths or [Path(".")])
    stated, names = pipeline.config_rules(config, roots)
    found = pipeline.discover(roots, stated=stated, names=names)
    if json_output:
        report.print_json(report.scan_json(found.occurrences, found.problems))
    else:
        report.print_scan(found.occurrences, found.problems)
    report.print_problems(found.problems)
    raise typer.Exit(1 if any(p.level == "error" for p in found.problems) else 0)
