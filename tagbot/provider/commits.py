"""Commits built from blobs in a scratch index: the checkout is never touched, so every branch
can start from the same base tip and a fresh base never clashes with local files."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from tagbot.editor.textio import BOM
from tagbot.errors import GitError
from tagbot.models import ChangeSet, FileEdit, GitOptions
from tagbot.provider.git import Workspace

Reapply = Callable[[Path], tuple[FileEdit, ...]]
_FILE_MODE = "100644"
_SYMLINK_MODE = "120000"


def file_bytes(edit: FileEdit, side: str = "after") -> bytes:
    """The exact bytes of the file before or after the edit, its BOM included."""
    text = edit.before if side == "before" else edit.after
    return ((BOM if edit.bom else "") + text).encode()


def changed(edits: Iterable[FileEdit]) -> list[FileEdit]:
    """The edits that change their file."""
    return [e for e in edits if e.changed]


def entries(ws: Workspace, treeish: str, paths: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Mode and object id of each of `paths` in a commit or tree; absent paths are left out."""
    if not paths:
        return {}
    out = ws.git.run("ls-tree", "-z", "-r", "--full-tree", treeish, "--", *paths).stdout
    found: dict[str, tuple[str, str]] = {}
    for entry in filter(None, out.decode().split("\0")):
        meta, _, path = entry.partition("\t")
        mode, _kind, sha = meta.split()
        found[path] = (mode, sha)
    return found


# Attributes that make `git add` change a file's bytes on the way in (gitattributes(5)).
_CONVERTING = ("text", "eol", "crlf", "filter", "ident", "working-tree-encoding")


def _converted(ws: Workspace, paths: Sequence[str]) -> set[str]:
    """The paths whose bytes `git add` would convert: any converting attribute set, or every
    path when `core.autocrlf` is on. One `git check-attr` for all of them."""
    autocrlf = ws.git.attempt("config", "--get", "core.autocrlf").stdout.decode().strip()
    if autocrlf.lower() not in ("", "false", "no", "off", "0"):
        return set(paths)
    names = "".join(f"{path}\0" for path in paths).encode()
    out = ws.git.run("check-attr", "-z", "--stdin", *_CONVERTING, stdin=names).stdout
    fields = out.decode().split("\0")
    triples = zip(fields[0::3], fields[1::3], fields[2::3], strict=False)
    return {path for path, _attr, value in triples if value != "unspecified"}


def _imported(ws: Workspace, datas: Sequence[bytes]) -> list[str]:
    """Store `datas` as blobs with one `git fast-import`; their object ids, in order."""
    if not datas:
        return []
    stream = bytearray()
    for mark, data in enumerate(datas, 1):
        stream += b"blob\nmark :%d\ndata %d\n" % (mark, len(data)) + data + b"\n"
    with tempfile.TemporaryDirectory(prefix="tagbot-") as tmp:
        marks = Path(tmp) / "marks"
        ws.git.run("fast-import", "--quiet", f"--export-marks={marks}", stdin=bytes(stream))
        ids = dict(line.split() for line in marks.read_text().splitlines() if line)
    return [ids[f":{mark}"] for mark in range(1, len(datas) + 1)]


def blobs(ws: Workspace, files: Sequence[tuple[str, bytes]]) -> dict[str, str]:
    """The object id of each (path, bytes) as `git add` stores it, written to the object store.

    Two git processes whatever the number of files: `git check-attr` finds the paths whose
    bytes git would convert (each of those still goes through `git hash-object --path`), and
    `git fast-import` stores the rest as they are. One `hash-object` per file was 970
    processes in a 10x run (bench/README.md).
    """
    if not files:
        return {}
    converted = _converted(ws, [path for path, _ in files])
    ids = {path: blob(ws, path, data) for path, data in files if path in converted}
    plain = [(path, data) for path, data in files if path not in converted]
    ids.update(zip([p for p, _ in plain], _imported(ws, [d for _, d in plain]), strict=True))
    return ids


def blob(ws: Workspace, path: str, data: bytes) -> str:
    """The object id of `data` stored at `path`, after the path's clean filters, written."""
    return ws.git.out("hash-object", "-w", "--stdin", f"--path={path}", stdin=data)


def tree_of(ws: Workspace, commit: str) -> str:
    """The tree id of a commit."""
    return ws.git.out("rev-parse", f"{commit}^{{tree}}")


def applies(ws: Workspace, commit: str, edits: Sequence[FileEdit]) -> bool:
    """True when every edited file in `commit` still holds the edit's `before` text."""
    edits = changed(edits)
    have = entries(ws, commit, [e.path for e in edits])
    if any(e.path not in have for e in edits):
        return False
    ids = blobs(ws, [(e.path, file_bytes(e, "before")) for e in edits])
    return all(have[e.path][1] == ids.get(e.path) for e in edits)


def fresh_edits(
    ws: Workspace, commit: str, edits: Sequence[FileEdit], reapply: Reapply
) -> tuple[FileEdit, ...]:
    """`edits` when they still apply to `commit`; else the editor re-run on `commit`'s files."""
    if applies(ws, commit, edits):
        return tuple(edits)
    with tempfile.TemporaryDirectory(prefix="tagbot-") as tmp:
        root = Path(tmp) / "tree"
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        ws.git.run("read-tree", commit, env=env)
        ws.git.run("checkout-index", "--all", f"--prefix={root}/", env=env)
        return reapply(root)


def tree_with(ws: Workspace, parent: str, edits: Sequence[FileEdit]) -> str:
    """The tree of `parent` with each edit's `after` text written at its path."""
    edits = changed(edits)
    modes = entries(ws, parent, [e.path for e in edits])
    for edit in edits:
        if modes.get(edit.path, (_FILE_MODE, ""))[0] == _SYMLINK_MODE:
            raise GitError(f"{edit.path} is a symbolic link in git: edit the file it points to")
    ids = blobs(ws, [(e.path, file_bytes(e)) for e in edits])
    records = [f"{modes.get(e.path, (_FILE_MODE, ''))[0]} {ids[e.path]}\t{e.path}\0" for e in edits]
    with tempfile.TemporaryDirectory(prefix="tagbot-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        ws.git.run("read-tree", parent, env=env)
        ws.git.run("update-index", "-z", "--index-info", stdin="".join(records).encode(), env=env)
        return ws.git.out("write-tree", env=env)


def commit(ws: Workspace, tree: str, parent: str, changes: ChangeSet, options: GitOptions) -> str:
    """A commit of `tree` on `parent` by the configured author: title, blank line, body."""
    who = {
        "GIT_AUTHOR_NAME": options.author_name,
        "GIT_AUTHOR_EMAIL": options.author_email,
        "GIT_COMMITTER_NAME": options.author_name,
        "GIT_COMMITTER_EMAIL": options.author_email,
    }
    args = ("commit-tree", tree, "-p", parent, "-F", "-")
    return ws.git.out(*args, stdin=(message(changes) + "\n").encode(), env=who)


def message(changes: ChangeSet) -> str:
    """The commit message: the title, a blank line, the body."""
    text = changes.title.strip()
    if changes.body.strip():
        text += "\n\n" + changes.body.strip()
    return text


def branch_current(
    ws: Workspace, tip: str, base: str, tree: str, edits: Sequence[FileEdit]
) -> bool:
    """True when tagbot's branch at `tip` already proposes `edits`: the same tree on `base`, or
    the same edits on an older base that has not touched the edited files since (no churn)."""
    if tree_of(ws, tip) == tree:
        return True
    parents = ws.git.out("rev-list", "--parents", "-n", "1", tip).split()[1:]
    if len(parents) != 1 or ws.git.attempt("cat-file", "-e", f"{parents[0]}^{{commit}}").returncode:
        return False
    fork = parents[0]
    paths = sorted(e.path for e in changed(edits))
    touched = ws.git.run("diff-tree", "-r", "-z", "--name-only", fork, tip).stdout.decode()
    if set(filter(None, touched.split("\0"))) != set(paths):
        return False
    same_edit = entries(ws, tip, paths) == entries(ws, tree, paths)
    return same_edit and entries(ws, base, paths) == entries(ws, fork, paths)
