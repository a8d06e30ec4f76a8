"""`tagbot validate`: check a config file and print every error with its key and line."""

from __future__ import annotations

from pathlib import Path

import typer

from tagbot import redact
from tagbot.commands.common import ConfigOpt, JsonOpt
from tagbot.config import check_config, is_empty
from tagbot.models import Problem
from tagbot.report import print_json, print_problems


def command(config: ConfigOpt = "tagbot.yaml", as_json: JsonOpt = False) -> None:
    """Check a config file: print `ok: FILE`, or every error as FILE:LINE: key: message (exit 2);
    a `references:` rule that matches no file of the repository is a warning on stderr."""
    path = Path(config)
    loaded, issues = check_config(path)
    if not issues and is_empty(path):
        print_problems([Problem(config, "the config is empty: every default applies")])
    if loaded is not None and loaded.references:  # a rule that matches nothing here: a warning
        from tagbot import pipeline  # reads the repository's files: only for configs with rules

        print_problems(pipeline.unused_rules(loaded, path))
    if as_json:
        errors = [{**i.as_dict(), "message": redact.scrub(i.message)} for i in issues]
        print_json({"valid": not issues, "file": config, "errors": errors})
    elif issues:
        for issue in issues:
            typer.echo(redact.scrub(str(issue)))
    else:
        typer.echo(f"ok: {config}")
    if issues:
        raise typer.Exit(2)
