"""How a run that ends early says so: a line on stderr (JSON with `--log-format json`), and one
JSON document on stdout with `--json`, so a machine reading either stream always gets one."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime

from tagbot import redact


def print_failure(
    message: str,
    exit_code: int,
    *,
    as_json: bool,
    json_logs: bool,
    label: str = "error: ",
    stack: str | None = None,
) -> None:
    """Report a fatal error: `tagbot: LABELMESSAGE` or a JSON log line on stderr, and
    `{"error": {"message", "exit_code"}}` on stdout when the command was asked for JSON.
    `stack` (with `--traceback`) goes before the line, or into its `exception` field."""
    message = redact.scrub(message)
    stack = redact.scrub(stack) if stack else None
    if stack and not json_logs:
        print(stack, end="" if stack.endswith("\n") else "\n", file=sys.stderr)
    if json_logs:
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "level": "error",
            "logger": "tagbot",
            "message": message,
            "exit_code": exit_code,
            **({"exception": stack} if stack else {}),
        }
        print(json.dumps(line), file=sys.stderr)
    else:
        print(f"tagbot: {label}{message}", file=sys.stderr)
    if as_json:
        document = {"error": {"message": message, "exit_code": exit_code}}
        sys.stdout.write(json.dumps(document, indent=2) + "\n")
