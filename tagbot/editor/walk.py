"""File discovery: the YAML files under the given paths, in a stable order, with skip reasons."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

from tagbot.models import Problem

SUFFIXES = (".yaml", ".yml")
# Never descended into: version control and vendored JavaScript.
SKIP_DIRS = {".git", "node_modules"}
# The skip reason of a file in a Helm chart's `templates/`: expected, reported at info level.
CHART_TEMPLATE = "skipped: a Helm chart template, not YAML until Helm renders it"


def iter_files(paths: Sequence[Path]) -> Iterator[tuple[Path, str, str | None]]:
    """(path, POSIX path relative to its given root, skip reason or None) for each YAML file.

    A file given by name is read whatever its suffix and reported by its name. Directories are
    walked sorted. Symlinks inside them are not followed: one that leaves the root must not be
    read, and one that stays inside points at files the walk reaches by their own path (an
    edit through a link would replace the link with a copy). Files under a Helm chart's
    `templates/` (beside a `Chart.yaml`, found above the given path too) are Go templates: they
    come unread with the CHART_TEMPLATE reason (see `skip_problem`). Binary, non-UTF-8 and
    oversized files come with a skip reason.
    """
    for given in paths:
        inside = _in_templates(given)
        if given.is_dir():
            for path, template in _walk_dir(given, inside):
                rel = path.relative_to(given).as_posix()
                yield path, rel, CHART_TEMPLATE if template else None
        else:
            yield given, given.name, CHART_TEMPLATE if inside else None


def skip_problem(rel: str, skip: str) -> Problem:
    """The problem that reports a skipped file: info for a chart template, else an error."""
    if skip == CHART_TEMPLATE:
        return Problem(rel, skip, level="info")
    return Problem(rel, f"skipped: {skip}")


def _in_templates(given: Path) -> bool:
    """True when `given` is inside (or is) the `templates/` folder of a Helm chart."""
    absolute = given.absolute()
    for folder in (absolute, *absolute.parents):
        if folder.name == "templates" and (folder.parent / "Chart.yaml").is_file():
            return True
    return False


def _walk_dir(directory: Path, template: bool) -> Iterator[tuple[Path, bool]]:
    # os.scandir: the entry's type comes with its name (no stat per entry and question).
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError:
        return
    chart = any(e.name == "Chart.yaml" for e in entries)
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIP_DIRS:
                inside = template or (chart and entry.name == "templates")
                yield from _walk_dir(directory / entry.name, inside)
        elif _is_yaml(entry.name) and entry.is_file(follow_symlinks=False):
            yield directory / entry.name, template


def _is_yaml(name: str) -> bool:
    return os.path.splitext(name)[1].lower() in SUFFIXES
