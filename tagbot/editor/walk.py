"""File discovery: the YAML files under the given paths, in a stable order, with skip reasons."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from tagbot.editor import textio
from tagbot.errors import EditError

SUFFIXES = (".yaml", ".yml")
# Never descended into: version control and vendored JavaScript.
SKIP_DIRS = {".git", "node_modules"}


def iter_files(paths: Sequence[Path]) -> Iterator[tuple[Path, str, str | None]]:
    """(path, POSIX path relative to its given root, skip reason or None) for each YAML file.

    A file given by name is read whatever its suffix and reported by its name. Directories are
    walked sorted. Symlinks inside them are not followed: one that leaves the root must not be
    read, and one that stays inside points at files the walk reaches by their own path (an
    edit through a link would replace the link with a copy). A Helm chart's `templates/`
    (beside `Chart.yaml`) holds Go templates, not YAML, and is left out. Binary, non-UTF-8 and
    oversized files come with a skip reason.
    """
    for given in paths:
        if given.is_dir():
            for path in _walk_dir(given):
                yield path, path.relative_to(given).as_posix(), _skip(path)
        else:
            yield given, given.name, _skip(given)


def _walk_dir(directory: Path) -> Iterator[Path]:
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError:
        return
    chart = any(e.name == "Chart.yaml" for e in entries)
    for entry in entries:
        if entry.is_symlink():
            continue
        if entry.is_dir():
            if entry.name not in SKIP_DIRS and not (chart and entry.name == "templates"):
                yield from _walk_dir(entry)
        elif entry.suffix.lower() in SUFFIXES and entry.is_file():
            yield entry


def _skip(path: Path) -> str | None:
    """Why the file cannot be read as text, or None."""
    try:
        textio.read(path)
    except EditError as exc:
        return str(exc)
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    return None
