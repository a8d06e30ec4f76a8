"""Durations as people write them in tagbot.yaml (`90m`, `24h`, `3d`, `1w`, `1d12h`) and read
them in plans (`17 h`, `3 d`)."""

from __future__ import annotations

import re
from datetime import timedelta

_PART = re.compile(r"(\d+)([smhdw])")
_WHOLE = re.compile(r"^(?:\d+[smhdw])+$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse(text: str) -> timedelta:
    """`3d` as a timedelta; ValueError naming the accepted form for anything else."""
    if not _WHOLE.match(text):
        raise ValueError("must be a duration such as 90m, 24h, 3d or 1d12h (units s m h d w)")
    seconds = sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(text))
    if seconds <= 0:
        raise ValueError("must be longer than zero")
    return timedelta(seconds=seconds)


def human(span: timedelta, *, up: bool = True) -> str:
    """A short reading of a span in its unit, rounded up (a wait) or down (an age, `up=False`):
    `45 min`, `17 h`, `3 d`."""
    seconds = max(0, int(span.total_seconds()))
    for unit, size, below in (("min", 60, 3600), ("h", 3600, 2 * 86400), ("d", 86400, None)):
        if below is None or seconds < below:
            count = -(-seconds // size) if up else seconds // size
            return f"{count} {unit}"
    raise AssertionError("unreachable")


def compact(span: timedelta) -> str:
    """A span as written in tagbot.yaml, in the largest exact unit it is at least two of:
    `3d`, `24h`, `36h`, `90m`."""
    seconds = int(span.total_seconds())
    for unit in ("w", "d", "h", "m"):
        size = _UNITS[unit]
        if seconds % size == 0 and seconds >= 2 * size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
