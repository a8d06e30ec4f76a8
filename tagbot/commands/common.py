"""Options and output helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from tagbot.errors import ConfigError

JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
ConfigOpt = Annotated[
    str,
    typer.Option("--config", "-c", envvar="TAGBOT_CONFIG", help="Path to tagbot.yaml."),
]


def print_json(data: dict[str, Any]) -> None:
    """Write one JSON document to stdout."""
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


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
