"""`tagbot set IMAGE:TAG[@DIGEST]...`: rewrite every reference to the images, or show the diff."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from tagbot import redact
from tagbot.commands.common import JsonOpt, print_json
from tagbot.editor import setter
from tagbot.models import Update
from tagbot.report import problem_json, update_json


def change_json(update: Update) -> dict[str, Any]:
    """One change as the JSON contract's `{"file", "line", "image", "from", "to"}` (+ digest)."""
    data = update_json(update)
    del data["reason"]
    return data


def command(
    images: Annotated[
        list[str],
        typer.Argument(metavar="IMAGE:TAG[@DIGEST]", help="Images to set, e.g. nginx:1.27.1."),
    ],
    path: Annotated[
        list[Path] | None,
        typer.Option("--path", "-p", help="File or directory to edit (repeatable; default .)."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print a unified diff; write nothing.")
    ] = False,
    json_output: JsonOpt = False,
) -> None:
    """Set each IMAGE to TAG (and DIGEST) in every reference under the paths."""
    targets = setter.parse_targets(images)
    plan = setter.plan_set(targets, path or [Path(".")])
    files, problems = plan.files, plan.problems
    if not dry_run:
        files, failed = setter.write(plan)
        problems += failed
    changes = [u for f in files for u in f.edit.updates]
    if json_output:
        print_json(
            {
                "changes": [change_json(u) for u in changes],
                "problems": [problem_json(p) for p in problems],
            }
        )
    elif dry_run:
        sys.stdout.write("".join(f.edit.diff() for f in files))
    else:
        for update in changes:
            occ, to = update.occurrence, update.new_tag
            to += f"@{update.new_digest}" if update.new_digest else ""
            typer.echo(f"{occ.path}:{occ.line}: {occ.image} -> {to}")
    # Problems go to stderr in every mode, so a CI log names the image that matched nothing.
    for problem in problems:
        typer.echo(f"tagbot: {problem.where}: {redact.scrub(problem.error)}", err=True)
    raise typer.Exit(1 if problems else 0)
