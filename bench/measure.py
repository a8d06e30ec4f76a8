"""Run one process and measure it: wall time, CPU time (user + system) and peak RSS."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    """One finished process: its figures and what it printed."""

    wall: float  # seconds
    cpu: float  # user + system seconds, the process and the children it waited for
    rss_mb: float  # peak resident set size, MB (10^6 bytes)
    returncode: int
    stdout: str
    stderr: str


def run(
    args: Sequence[str], *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Measured:
    """Run `args` to completion; figures come from wait4, so they are this process's own."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Measured(
            wall=wall,
            cpu=usage.ru_utime + usage.ru_stime,
            rss_mb=usage.ru_maxrss * 1024 / 1e6,  # Linux reports kilobytes
            returncode=proc.returncode,
            stdout=out.read().decode(errors="replace"),
            stderr=err.read().decode(errors="replace"),
        )


def summary(runs: Sequence[Measured]) -> dict[str, float]:
    """Best (min), median and max of each figure over several runs."""
    figures: dict[str, float] = {}
    for name in ("wall", "cpu", "rss_mb"):
        values = [getattr(r, name) for r in runs]
        figures[f"{name}_best"] = round(min(values), 3)
        figures[f"{name}_median"] = round(statistics.median(values), 3)
        figures[f"{name}_max"] = round(max(values), 3)
    return figures
