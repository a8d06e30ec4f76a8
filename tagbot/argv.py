"""The command line before typer sees it: global options hoisted, output modes read early.

Global options (`--verbose`, `--traceback`, `--log-format`) work before or after the command
name; `--json` is per command, but the error boundary must know it even when parsing fails.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence

GLOBAL_FLAGS = frozenset({"--verbose", "-v", "--traceback"})
GLOBAL_VALUED = frozenset({"--log-format"})


def hoist(argv: Sequence[str], commands: Collection[str]) -> list[str]:
    """`argv` with the global options that follow the command name moved in front of it."""
    args = list(argv)
    at = next((i for i, a in enumerate(args) if a in commands), None)
    if at is None:
        return args
    front, rest, moved = args[:at], [args[at]], []
    tail = iter(args[at + 1 :])
    for arg in tail:
        if arg == "--":
            rest += [arg, *tail]
            break
        if arg in GLOBAL_FLAGS or arg.split("=", 1)[0] in GLOBAL_VALUED:
            moved.append(arg)
            if arg in GLOBAL_VALUED:
                moved.append(next(tail, ""))
            continue
        rest.append(arg)
    return [*front, *moved, *rest]


def options_before_separator(argv: Sequence[str]) -> list[str]:
    """The arguments before a `--`."""
    args = list(argv)
    return args[: args.index("--")] if "--" in args else args


def wants_json(argv: Sequence[str]) -> bool:
    """True when the command was asked for one JSON document on stdout."""
    return "--json" in options_before_separator(argv)


def log_format(argv: Sequence[str]) -> str:
    """`json` or `text`: the `--log-format` given, else `$TAGBOT_LOG_FORMAT`, else text."""
    args = options_before_separator(argv)
    for i, arg in enumerate(args):
        if arg == "--log-format" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--log-format="):
            return arg.split("=", 1)[1]
    return os.environ.get("TAGBOT_LOG_FORMAT", "text")
