"""`tagbot schema`: print the JSON Schema of tagbot.yaml, for editors and CI checks."""

from __future__ import annotations

import sys

from tagbot.commands.common import JsonOpt
from tagbot.config import schema_text


def command(as_json: JsonOpt = False) -> None:
    """Print the JSON Schema of tagbot.yaml (always JSON; `--json` is accepted for uniformity)."""
    sys.stdout.write(schema_text())
