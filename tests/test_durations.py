"""Durations as written in tagbot.yaml and as read in plans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tagbot import durations


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90m", 5400), ("24h", 86400), ("3d", 259200), ("1w", 604800), ("1d12h", 129600), ("30s", 30)],
)
def test_parse(text: str, seconds: int) -> None:
    assert durations.parse(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "3", "d", "3 d", "3days", "-1h", "1.5h", "0m"])
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|zero"):
        durations.parse(text)


@pytest.mark.parametrize(
    ("seconds", "up", "text"),
    [(59, True, "1 min"), (3601, True, "2 h"), (3601, False, "1 h"), (61200, True, "17 h"),
     (5 * 3600 + 59, False, "5 h"), (3 * 86400 + 5, False, "3 d"), (3 * 86400 + 5, True, "4 d"), (0, True, "0 min")],
)  # fmt: skip
def test_human(seconds: int, up: bool, text: str) -> None:
    assert durations.human(timedelta(seconds=seconds), up=up) == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [("24h", "24h"), ("3d", "3d"), ("1d12h", "36h"), ("90m", "90m"), ("2w", "2w"), ("1w", "7d"),
     ("1h", "60m"), ("1m", "60s")],
)  # fmt: skip
def test_compact(text: str, shown: str) -> None:
    assert durations.compact(durations.parse(text)) == shown
