"""The one file loop of every entry point: walk, read, extract; unreadable files are reported."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tagbot import editor
from tagbot.models import Occurrence, Problem, StatedReference
from tagbot.pipeline.stated import RuleUse, apply_stated, matching

Wants = Callable[[str], bool]
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


def discover(
    roots: Sequence[Path],
    wants: Wants | None = None,
    stated: Sequence[StatedReference] = (),
    names: Names | None = None,
) -> Discovery:
    """Read and extract every YAML file under `roots` that `wants` accepts (by relative path),
    applying the `stated` rules to the files `names` (else the relative path) matches.

    A file that cannot be read (binary, not UTF-8, too large, gone) or parsed is a problem,
    never a silent skip: `scan`, `plan`, `run` and `set` all report it the same way.
    """
    found = Discovery()
    seen: set[Path] = set()
    for path, rel, skip in _walk(roots):
        if wants is not None and not wants(rel):
            continue
        if path.resolve() in seen:  # `-p a -p a/values.yaml`: one file, read once
            continue
        seen.add(path.resolve())
        try:
            name = rel if names is None else names(path)
            _read(found, path, rel, skip, stated, name)
        except Exception as exc:  # a bug or a hostile file must not end the run: report it
            log.exception("file failed", extra={"file": rel})
            found.problems.append(Problem(rel, f"unexpected error: {type(exc).__name__}: {exc}"))
    found.problems.extend(found.rule_use.problems)  # what the `references:` rules met
    return found


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
    found: Discovery,
    path: Path,
    rel: str,
    skip: str | None,
    stated: Sequence[StatedReference],
    name: str | None,
) -> None:
    """Load one file into `found`: its problems, and its references if it has any; `name`:
    its path for the globs of the `stated` rules (None: outside the repository, none apply)."""
    loaded = editor.load(path, rel, skip)  # every problem of the file: read, parse, keys
    found.problems.extend(loaded.problems)
    source = loaded.source
    if source is None:
        return
    occurrences = tuple(loaded.occurrences)
    if name is not None and stated and matching(name, stated):
        use = found.rule_use
        occurrences = apply_stated(rel, source.text, occurrences, stated, name=name, use=use)
    if occurrences:
        found.files.append(SourceFile(path, rel, source.text, source.bom, occurrences))
