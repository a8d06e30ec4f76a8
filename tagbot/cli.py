"""The typer app: global options, the command map, and the one place errors become exit codes.

Exit codes: 0 success; 1 the run finished and reported problems; 2 usage or configuration error;
3 an unexpected error (a bug: one line says so, `--traceback` shows the stack); 130 interrupted.
"""

from __future__ import annotations

import gc
import importlib
import sys
import traceback
from typing import Annotated, NoReturn

import typer

from tagbot import __version__, helptext, logs
from tagbot import argv as argv_
from tagbot.errors import TagbotError
from tagbot.report.failure import print_failure

# Command name -> module holding `command`; explicit, no discovery (STYLE rule 2).
COMMANDS: dict[str, str] = {
    "validate": "tagbot.commands.validate",
    "schema": "tagbot.commands.schema",
    "set": "tagbot.commands.set_",
    "tags": "tagbot.commands.tags",
    "scan": "tagbot.commands.scan",
    "plan": "tagbot.commands.plan",
    "run": "tagbot.commands.run_",
    "serve": "tagbot.commands.serve",
    "promote": "tagbot.commands.promote",
    "rollback": "tagbot.commands.rollback",
    "release": "tagbot.commands.release",
}

helptext.install()
app = typer.Typer(
    name="tagbot",
    help="Bump container image tags in GitOps config repos, keeping every comment and quote.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
_state = {"traceback": False, "frozen": False}
EXIT_BUG = 3
EXIT_INTERRUPTED = 130


def _version(value: bool) -> None:
    if value:
        typer.echo(f"tagbot {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
    log_format: Annotated[
        str,
        typer.Option(
            "--log-format",
            metavar="text|json",
            envvar="TAGBOT_LOG_FORMAT",
            help="text or json (stderr).",
        ),
    ] = "text",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more.")] = False,
    traceback: Annotated[
        bool, typer.Option("--traceback", help="Show the stack on errors.")
    ] = False,
) -> None:
    """Global options."""
    if log_format not in ("text", "json"):
        raise typer.BadParameter("must be 'text' or 'json'", param_hint="--log-format")
    logs.setup("json" if log_format == "json" else "text", verbose)
    _state["traceback"] = traceback


for _name, _module in COMMANDS.items():
    app.command(_name)(importlib.import_module(_module).command)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with the documented code."""
    # What is imported by now (modules, the command tree, pydantic's schemas) lives as long as
    # the process: frozen, it is no longer walked by every full collection (a tenth of a
    # 1,000-reference plan, bench/README.md). Once: tests call main() many times.
    if not _state["frozen"]:
        gc.freeze()
        _state["frozen"] = True
    args = argv_.hoist(sys.argv[1:] if argv is None else argv, COMMANDS)
    as_json, json_logs = argv_.wants_json(args), argv_.log_format(args) == "json"

    def fail(message: str, code: int, label: str = "error: ") -> NoReturn:
        # --traceback adds the stack; the exit code and the JSON document stay the same.
        stack = traceback.format_exc() if _state["traceback"] else None
        print_failure(message, code, as_json=as_json, json_logs=json_logs, label=label, stack=stack)
        sys.exit(code)

    try:
        code = app(args=args, standalone_mode=False)
    except (typer.Abort, KeyboardInterrupt):
        fail("interrupted", EXIT_INTERRUPTED, label="")
    except typer.TyperException as exc:  # usage errors: typer's message, exit 2
        show = getattr(exc, "show", None)
        if callable(show) and not (as_json or json_logs):
            show()
            sys.exit(exc.exit_code)
        fail(exc.format_message(), exc.exit_code)
    except TagbotError as exc:
        fail(str(exc), exc.exit_code)
    except Exception as exc:
        label = "unexpected error (a bug in tagbot; rerun with --traceback and report it): "
        fail(f"{type(exc).__name__}: {exc}", EXIT_BUG, label)
    if code == EXIT_INTERRUPTED:  # typer turns Ctrl-C into Exit(130), silently
        fail("interrupted", EXIT_INTERRUPTED, label="")
    sys.exit(code if isinstance(code, int) else 0)
