"""Tests for tagbot/provider/commits.py: blobs and trees built in one batch, as `git add` would."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tagbot.models import FileEdit
from tagbot.provider import commits
from tagbot.provider.git import Git, Workspace, git_env

CRLF = b"image: app:1.0\r\ntag: '2'\r\n"
ATTRIBUTES = "*.yaml text eol=lf\nraw/* -text\n*.crlf text eol=crlf\n"


def git(root: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run git in `root`; its stdout, stripped."""
    done = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, check=True)
    return done.stdout.decode().strip()


def workspace(tmp_path: Path, autocrlf: str = "false") -> Workspace:
    """A repository with text attributes, an executable script and an odd file name."""
    root = tmp_path / "repo"
    root.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "core.autocrlf", autocrlf)
    (root / ".gitattributes").write_text(ATTRIBUTES)
    (root / "apps").mkdir()
    (root / "apps" / "a.yaml").write_bytes(b"image: app:0.9\n")
    (root / "run.sh").write_text("#!/bin/sh\n")
    os.chmod(root / "run.sh", 0o755)
    (root / "apps" / "[x]*.yaml").write_text("image: x:1\n")
    git(root, "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "seed")
    sha = git(root, "rev-parse", "HEAD")
    return Workspace(Git(root, git_env()), "main", sha, str(root), shallow=False, cloned=False)


FILES = ["apps/a.yaml", "apps/new/b.yaml", "raw/c.yaml", "d.crlf", "e.txt", "apps/[x]*.yaml"]


def test_blobs_are_the_ids_hash_object_gives_each_file(tmp_path: Path) -> None:
    for autocrlf in ("false", "true"):
        ws = workspace(tmp_path / autocrlf, autocrlf)
        ids = commits.blobs(ws, [(path, CRLF) for path in FILES])
        one_by_one = {
            p: git(ws.root, "hash-object", "--stdin", f"--path={p}", stdin=CRLF) for p in FILES
        }
        assert ids == one_by_one
        assert len(set(ids.values())) == 2  # the -text file keeps its CRs, the rest lose them
        for sha in ids.values():
            assert git(ws.root, "cat-file", "-t", sha) == "blob"  # written


def test_tree_with_writes_every_edit_and_keeps_modes(tmp_path: Path) -> None:
    ws = workspace(tmp_path)
    edits = [
        FileEdit("apps/a.yaml", "image: app:0.9\n", "image: app:1.0\n"),
        FileEdit("run.sh", "#!/bin/sh\n", "#!/bin/sh\nexit 0\n"),
        FileEdit("apps/[x]*.yaml", "image: x:1\n", "image: x:2\n"),
        FileEdit("apps/same.yaml", "x\n", "x\n"),  # unchanged: left out
    ]
    tree = commits.tree_with(ws, ws.base_sha, edits)
    listing = git(ws.root, "ls-tree", "-r", tree)
    assert "100755 blob" in next(line for line in listing.splitlines() if line.endswith("run.sh"))
    assert "apps/same.yaml" not in listing
    for edit in edits[:3]:
        assert git(ws.root, "cat-file", "-p", f"{tree}:{edit.path}") + "\n" == edit.after
    assert commits.applies(ws, ws.base_sha, edits)
    stale = [FileEdit("apps/a.yaml", "image: app:0.8\n", "image: app:1.0\n")]
    assert not commits.applies(ws, ws.base_sha, stale)
    assert not commits.applies(ws, ws.base_sha, [FileEdit("gone.yaml", "a\n", "b\n")])
