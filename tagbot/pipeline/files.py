"""The one file loop of every entry point: walk, read, extract; unreadable files are reported."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tagbot import editor
from tagbot.models import Occurrence, Problem, StatedReference
from tagbot.pipeline import forked
from tagbot.pipeline.stated import RuleUse, apply_stated, matching

Wants = Callable[[str], bool]
# Told each file's references as soon as they are read: plan starts listing their images
# while the walk goes on (the registry's round trips overlap the parsing).
Found = Callable[[Sequence[Occurrence]], None]
Entry = tuple[Path, str, str | None]  # a walked file: path, reported name, skip reason
# A file's path relative to the config repository's root, for `references:` globs; None: the
# file is outside it. Without one, the path relative to the root walked (plan's is the top).
Names = Callable[[Path], str | None]
log = logging.getLogger("tagbot.pipeline")


@dataclass(frozen=True)
class SourceFile:
    """A file that holds references: where it is, its path as reported, and its text."""

    path: Path
    rel: str  # POSIX path relative to the root it was found under
    text: str
    bom: bool = False
    occurrences: tuple[Occurrence, ...] = ()


@dataclass
class Discovery:
    """What a walk found: every reference, the files holding them, and the files that failed."""

    files: list[SourceFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rule_use: RuleUse = field(default_factory=RuleUse)  # what the `references:` rules did

    @property
    def occurrences(self) -> list[Occurrence]:
        """Every reference, in file order."""
        return [occ for f in self.files for occ in f.occurrences]


@dataclass
class Loaded:
    """One file's outcome: its SourceFile (None without references), problems, rule use."""

    source: SourceFile | None
    problems: tuple[Problem, ...] = ()
    use: RuleUse | None = None


def discover(
    roots: Sequence[Path],
    wants: Wants | None = None,
    stated: Sequence[StatedReference] = (),
    names: Names | None = None,
    on_found: Found | None = None,
    idle: forked.Idle = lambda: True,
) -> Discovery:
    """Read and extract every YAML file under `roots` that `wants` accepts (by relative path),
    applying the `stated` rules to the files `names` (else the relative path) matches.
    `on_found` is told each file's references as soon as they are read. Many files are read
    with a second process (pipeline/forked.py); this one reads its share while `idle()`.

    A file that cannot be read (binary, not UTF-8, too large, gone) or parsed is a problem,
    never a silent skip: `scan`, `plan`, `run` and `set` all report it the same way.
    """
    entries = list(_wanted(roots, wants))

    def load(index: int) -> Loaded:
        return load_file(entries[index], stated, names)

    results: list[Loaded | None] = [None] * len(entries)
    for index, loaded in forked.indexed(load, len(entries), idle):
        results[index] = loaded
        if on_found is not None and loaded.source is not None:
            on_found(loaded.source.occurrences)
    found = Discovery()
    for loaded in filter(None, results):
        found.problems.extend(loaded.problems)
        if loaded.source is not None:
            found.files.append(loaded.source)
        if loaded.use is not None:
            found.rule_use.add(loaded.use)
    found.problems.extend(found.rule_use.problems)  # what the `references:` rules met
    return found


def load_file(entry: Entry, stated: Sequence[StatedReference], names: Names | None) -> Loaded:
    """One file, read and extracted, the `stated` rules applied; never raises."""
    path, rel, skip = entry
    try:
        return _read(path, rel, skip, stated, rel if names is None else names(path))
    except Exception as exc:  # a bug or a hostile file must not end the run: report it
        log.exception("file failed", extra={"file": rel})
        return Loaded(None, (Problem(rel, f"unexpected error: {type(exc).__name__}: {exc}"),))


def _wanted(roots: Sequence[Path], wants: Wants | None) -> Iterator[Entry]:
    """The walk's files that `wants` accepts, each once."""
    seen: set[Path] = set()
    for path, rel, skip in _walk(roots):
        if wants is not None and not wants(rel):
            continue
        # `-p a -p a/values.yaml`: one file, read once. One root yields each file once (the
        # walk follows no symlinks), and resolving every path cost a syscall per component.
        if len(roots) > 1:
            real = path.resolve()
            if real in seen:
                continue
            seen.add(real)
        yield path, rel, skip


def _walk(roots: Sequence[Path]) -> Iterator[tuple[Path, str, str | None]]:
    """The files under `roots`, each with the path it is reported by: relative to the root it
    was found under (DESIGN.md's contract); when two roots give the same relative path
    (`-p a -p b`, both holding `values.yaml`), those are reported relative to the working
    directory instead (or absolute outside it), so they stay apart."""
    if len(roots) == 1:
        yield from editor.iter_files(roots)
        return
    found = [entry for root in roots for entry in editor.iter_files([root])]
    counts = Counter(rel for _, rel, _ in found)
    for path, rel, skip in found:
        yield path, rel if counts[rel] == 1 else _shown(path), skip


def _shown(path: Path) -> str:
    """`path` relative to the working directory when it is under it, else absolute (POSIX)."""
    absolute = path.absolute()
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _read(
    path: Path, rel: str, skip: str | None, stated: Sequence[StatedReference], name: str | None
) -> Loaded:
    """Load one file: its problems, and its references if it has any; `name`: its path for the
    globs of the `stated` rules (None: outside the repository, none apply)."""
    loaded = editor.load(path, rel, skip)  # every problem of the file: read, parse, keys
    source = loaded.source
    if source is None:
        return Loaded(None, loaded.problems)
    occurrences = tuple(loaded.occurrences)
    use = None
    if name is not None and stated and matching(name, stated):
        use = RuleUse()
        occurrences = apply_stated(rel, source.text, occurrences, stated, name=name, use=use)
    if not occurrences:
        return Loaded(None, loaded.problems, use)
    return Loaded(SourceFile(path, rel, source.text, source.bom, occurrences), loaded.problems, use)
