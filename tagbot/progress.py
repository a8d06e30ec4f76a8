"""A progress line on an interactive terminal (stderr) for long scans and registry listings.

Quiet when stderr is not a TTY or logs are JSON: CronJobs and CI logs get no spinner noise.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_update: Callable[[str], None] | None = None


def stage(text: str) -> None:
    """Say what the run is doing now; a no-op unless a terminal display is active."""
    if _update is not None:
        _update(text)


@contextmanager
def terminal(enabled: bool = True) -> Iterator[None]:
    """Show `stage` messages as a spinner on stderr while the block runs, if stderr is a TTY."""
    global _update
    if not enabled or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console

    with Console(stderr=True).status("starting") as status:
        _update = lambda text: status.update(text)  # noqa: E731
        try:
            yield
        finally:
            _update = None
