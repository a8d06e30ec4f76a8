"""Options shared by the commands, declared once (with the env vars a CI would set)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from tagbot.errors import ConfigError
from tagbot.provider.forges import PROVIDERS

if TYPE_CHECKING:
    from tagbot.pipeline import RepositoryReport

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
ConfigOpt = Annotated[
    str,
    typer.Option(
        "--config", "-c", metavar="FILE", envvar="TAGBOT_CONFIG", help="Path to tagbot.yaml."
    ),
]
ShardOpt = Annotated[
    str | None,
    typer.Option(
        "--shard", metavar="I/N", envvar="TAGBOT_SHARD", help="Only images in shard INDEX/COUNT."
    ),
]
DeadlineOpt = Annotated[
    float | None,
    typer.Option(
        "--deadline",
        metavar="SECONDS",
        envvar="TAGBOT_DEADLINE",
        min=1,
        help="Stop asking registries after this long; publish what is done (config: deadline).",
    ),
]
ConfigFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        metavar="FILE",
        envvar="TAGBOT_CONFIG",
        help="tagbot.yaml (set: whose `git:` publishes; scan: whose `references` apply).",
    ),
]
ProviderOpt = Annotated[
    str | None,
    typer.Option(
        "--provider", metavar="NAME", envvar="TAGBOT_PROVIDER", help=", ".join(PROVIDERS) + "."
    ),
]
ApiUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--api-url", metavar="URL", envvar="TAGBOT_API_URL", help="GitHub API or GitLab URL."
    ),
]
ProjectOpt = Annotated[
    str | None,
    typer.Option(
        "--project", metavar="PATH", envvar="TAGBOT_PROJECT", help="owner/name or GitLab path."
    ),
]


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """Parse `INDEX/COUNT` (0 <= INDEX < COUNT); raises ConfigError otherwise."""
    if not text:
        return None
    index, sep, count = text.partition("/")
    if not sep or not index.isdigit() or not count.isdigit():
        raise ConfigError(f"--shard must be INDEX/COUNT, got {text!r}")
    if not 0 <= int(index) < int(count):
        raise ConfigError(f"--shard index must be in 0..{int(count) - 1}, got {index}")
    return int(index), int(count)


def existing(paths: list[Path]) -> list[Path]:
    """`paths`, when every one exists; ConfigError (exit 2) naming those that do not."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise ConfigError(f"no such file or directory: {', '.join(missing)}")
    return paths


def exit_with_repositories(
    results: Sequence[RepositoryReport], *, json: bool, diffs: bool
) -> NoReturn:
    """Print one report per repository (one JSON document with `json`) and exit with the
    worst exit code among them."""
    from tagbot import report

    reports = [(r.repository, r.report) for r in results]
    if json:
        report.print_json(report.repositories_json(reports, diffs=diffs))
    else:
        report.print_repositories(reports, diffs=diffs)
    raise typer.Exit(max((r.exit_code for _, r in reports), default=0))
