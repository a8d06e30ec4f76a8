"""`tagbot set IMAGE:TAG[@DIGEST]...`: rewrite every reference to the images, or show the diff;
`--commit` / `--pull-request` publish the change as `tagbot run` would."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from tagbot import redact
from tagbot.commands.common import JsonOpt, print_json
from tagbot.editor import setter
from tagbot.errors import ConfigError
from tagbot.models import ProposalResult, Update
from tagbot.report import problem_json, proposal_json, proposal_state, update_json
from tagbot.setpublish import Mode, publish_set, publishing


def change_json(update: Update) -> dict[str, Any]:
    """One change as the JSON contract's `{"file", "line", "image", "from", "to"}` (+ digest)."""
    data = update_json(update)
    del data["reason"]
    return data


ConfigFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", "-c", envvar="TAGBOT_CONFIG", help="tagbot.yaml whose `git:` publishes."
    ),
]
ProviderOpt = Annotated[
    str | None,
    typer.Option("--provider", envvar="TAGBOT_PROVIDER", help="git, github or gitlab."),
]
ApiUrlOpt = Annotated[
    str | None,
    typer.Option("--api-url", envvar="TAGBOT_API_URL", help="GitHub API or GitLab URL."),
]
ProjectOpt = Annotated[
    str | None,
    typer.Option("--project", envvar="TAGBOT_PROJECT", help="owner/name or GitLab path."),
]


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
    commit: Annotated[
        bool, typer.Option("--commit", help="Write, then commit and push to the base branch.")
    ] = False,
    pull_request: Annotated[
        bool,
        typer.Option(
            "--pull-request", "--pr", help="Propose on tagbot's branch; the files stay as they are."
        ),
    ] = False,
    config: ConfigFileOpt = None,
    provider: ProviderOpt = None,
    api_url: ApiUrlOpt = None,
    project: ProjectOpt = None,
) -> None:
    """Set each IMAGE to TAG (and DIGEST) in every reference under the paths."""
    if commit and pull_request:
        raise ConfigError("--commit and --pull-request exclude each other")
    targets = setter.parse_targets(images)
    roots = path or [Path(".")]
    how = None
    if (commit or pull_request) and not dry_run:
        mode: Mode = "push" if commit else "pull-request"
        how = publishing(
            mode, roots, config, provider_name=provider, api_url=api_url, project=project
        )
    plan = setter.plan_set(targets, roots)
    files, problems = plan.files, plan.problems
    if not dry_run and not pull_request:
        files, failed = setter.write(plan)
        problems += failed
    proposals: list[ProposalResult] = []
    if how is not None and files:
        written = replace(plan, files=files)  # a file that failed to write is not committed
        proposals, failed_sets = publish_set(written, targets, how)
        problems += tuple(failed_sets)
    changes = [u for f in files for u in f.edit.updates]
    if json_output:
        data = {
            "changes": [change_json(u) for u in changes],
            "problems": [problem_json(p) for p in problems],
        }
        if proposals:
            data["proposals"] = [proposal_json(p) for p in proposals]
        print_json(data)
    elif dry_run:
        sys.stdout.write("".join(f.edit.diff() for f in files))
    else:
        for update in changes:
            occ, to = update.occurrence, update.new_tag
            to += f"@{update.new_digest}" if update.new_digest else ""
            typer.echo(f"{occ.path}:{occ.line}: {occ.image} -> {to}")
        for result in proposals:
            typer.echo(f"{proposal_state(result)}: {result.url or result.branch}")
    # Problems go to stderr in every mode, so a CI log names the image that matched nothing.
    for problem in problems:
        typer.echo(f"tagbot: {problem.where}: {redact.scrub(problem.error)}", err=True)
    raise typer.Exit(1 if problems else 0)
