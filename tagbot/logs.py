"""Logging set-up: readable text or one JSON object per line on stderr, always scrubbed."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Literal

from tagbot import redact

LogFormat = Literal["text", "json"]
_format: list[LogFormat] = ["text"]
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class _JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message and any `extra` fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact.scrub(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                data[key] = redact.scrub(str(value)) if isinstance(value, str) else value
        if record.exc_info:
            data["exception"] = redact.scrub(self.formatException(record.exc_info))
        return json.dumps(data, default=str)


class _TextFormatter(logging.Formatter):
    """`level: message key=value ...`, scrubbed."""

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{k}={v}"
            for k, v in record.__dict__.items()
            if k not in _STANDARD and not k.startswith("_")
        )
        text = f"{record.levelname.lower()}: {record.getMessage()}"
        if extras:
            text += f" {extras}"
        return redact.scrub(text)


def setup(fmt: LogFormat = "text", verbose: bool = False) -> None:
    """Send tagbot's logs to stderr in the chosen format; warnings only unless verbose."""
    _format[0] = fmt
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if fmt == "json" else _TextFormatter())
    root = logging.getLogger("tagbot")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO if fmt == "json" else logging.WARNING)
    root.propagate = False


def interactive() -> bool:
    """True when logs are for people (text), so a terminal progress display may be shown."""
    return _format[0] == "text"
