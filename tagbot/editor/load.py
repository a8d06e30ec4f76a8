"""One file from the walk to its references and problems, by one rule for every entry point:
what cannot be read or parsed is reported, never dropped in silence."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tagbot.editor import textio
from tagbot.editor.extract import extract
from tagbot.editor.walk import skip_problem
from tagbot.errors import EditError
from tagbot.models import Occurrence, Problem

DUPLICATE = "duplicate key at line"


@dataclass(frozen=True)
class Loaded:
    """A file's text (None when it could not be read), its references and its problems.

    Problems at level "error" make a run report a failure; "info" ones (a Helm template
    skipped) are shown only. References come with every problem that does not stop the file.
    """

    source: textio.SourceText | None
    occurrences: tuple[Occurrence, ...] = ()
    problems: tuple[Problem, ...] = ()


def load(path: Path, rel: str, skip: str | None = None) -> Loaded:
    """Read and extract one file that `iter_files` yielded as (path, rel, skip); never raises.

    Over 4 MiB, not UTF-8, a NUL byte, unreadable: an error problem. A reference under a
    duplicate key: listed (not rewritable) and an error problem, the file's other references
    still count.
    """
    if skip is not None:
        return Loaded(None, (), (skip_problem(rel, skip),))
    try:
        source = textio.read(path)
    except EditError as exc:  # changed since the walk looked at it
        return Loaded(None, (), (Problem(rel, f"skipped: {exc}"),))
    except OSError as exc:
        return Loaded(None, (), (Problem(rel, f"skipped: unreadable: {exc.strerror or exc}"),))
    result = extract(rel, source.text)
    problems = [result.problem] if result.problem is not None else []
    for occ in result.occurrences:
        if occ.skip_reason and occ.skip_reason.startswith(DUPLICATE):
            problems.append(Problem(rel, f"reference at line {occ.line}: {occ.skip_reason}"))
    return Loaded(source, result.occurrences, tuple(problems))
