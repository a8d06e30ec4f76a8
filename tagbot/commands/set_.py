"""`tagbot set IMAGE:TAG[@DIGEST]...`: rewrite every reference to the images, or show the diff;
`--commit` / `--pull-request` publish the change as `tagbot run` would."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from tagbot import pipeline, report
from tagbot.commands.common import (
    ApiUrlOpt,
    ConfigFileOpt,
    JsonOpt,
    ProjectOpt,
    ProviderOpt,
    existing,
)
from tagbot.errors import ConfigError
from tagbot.models import GitMode

ImagesArg = Annotated[
    list[str],
    typer.Argument(metavar="IMAGE:TAG[@DIGEST]", help="Images to set, e.g. nginx:1.27.1."),
]
PathOpt = Annotated[
    list[Path] | None,
    typer.Option("--path", "-p", help="File or directory to edit (repeatable; default .)."),
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Print a unified diff; write nothing.")]
CommitOpt = Annotated[
    bool, typer.Option("--commit", help="Write, then commit and push to the base branch.")
]
PullRequestOpt = Annotated[
    bool,
    typer.Option(
        "--pull-request", "--pr", help="Propose on tagbot's branch; the files stay as they are."
    ),
]


def command(
    images: ImagesArg,
    path: PathOpt = None,
    dry_run: DryRunOpt = False,
    json_output: JsonOpt = False,
    commit: CommitOpt = False,
    pull_request: PullRequestOpt = False,
    config: ConfigFileOpt = None,
    provider: ProviderOpt = None,
    api_url: ApiUrlOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Set each IMAGE to TAG (and DIGEST) in every reference under the paths."""
    if commit and pull_request:
        raise ConfigError("--commit and --pull-request exclude each other")
    targets = pipeline.parse_targets(images)
    roots = existing(path or [Path(".")])
    how = None
    if (commit or pull_request) and not dry_run:
        mode: GitMode = "push" if commit else "pull-request"
        how = pipeline.publishing(
            mode, roots, config, provider_name=provider, api_url=api_url, project=project
        )
    write = not dry_run and not pull_request
    stated, names = pipeline.config_rules(config, roots)
    result = pipeline.set_images(
        targets, roots, write_files=write, publishing=how, stated=stated, names=names
    )
    if json_output:
        report.print_json(report.set_json(result))
    else:
        report.print_set(result, diffs=dry_run)
    # Problems go to stderr in every mode, so a CI log names the image that matched nothing.
    report.print_problems(result.problems)
    raise typer.Exit(result.exit_code)
