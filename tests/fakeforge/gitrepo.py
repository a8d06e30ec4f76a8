"""Real bare git remotes for tests: create, seed, read refs and files, push as someone else."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

# Tests must not depend on the machine's git config (signing, hooks, default branch, identity).
_ISOLATED = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_AUTHOR_NAME": "Someone Else",
    "GIT_AUTHOR_EMAIL": "someone@example.com",
    "GIT_COMMITTER_NAME": "Someone Else",
    "GIT_COMMITTER_EMAIL": "someone@example.com",
}
_PUSH_LOG_HOOK = '#!/bin/sh\ncat >> "$PWD/pushes.log"\n'


def isolated_git_env() -> dict[str, str]:
    """Environment variables that cut git off from the global and system config."""
    return dict(_ISOLATED)


def git(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    """Run git with the isolated config (and `env` over it); its stdout, stripped."""
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **_ISOLATED, **(env or {})},
        capture_output=True,
        check=False,
    )
    if proc.returncode:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr.decode()}")
    return proc.stdout.decode().strip()


class BareRepo:
    """A bare repository on disk; every ref update is logged by a post-receive hook."""

    def __init__(self, path: Path, branch: str = "main", *, create: bool = True) -> None:
        self.path = path
        self.branch = branch
        if create:
            git("init", "--quiet", "--bare", "-b", branch, str(path))
            self.install_hook("post-receive", _PUSH_LOG_HOOK)

    def copy(self, path: Path) -> BareRepo:
        """A byte-for-byte copy at `path` (cheaper than seeding every test's remote anew)."""
        shutil.copytree(self.path, path, symlinks=True)
        return BareRepo(path, self.branch, create=False)

    @property
    def url(self) -> str:
        """A `file://` URL, so clones are really shallow (git ignores --depth for plain paths)."""
        return self.path.as_uri()

    def install_hook(self, name: str, script: str) -> None:
        """Install an executable hook script."""
        hook = self.path / "hooks" / name
        hook.write_text(script)
        hook.chmod(0o755)

    def sha(self, ref: str) -> str | None:
        """The commit a ref (`main`, `tagbot/x`) points at; None when it does not exist."""
        full = ref if ref.startswith("refs/") else f"refs/heads/{ref}"
        proc = subprocess.run(
            ["git", "--git-dir", str(self.path), "rev-parse", "--verify", "-q", full],
            env={**os.environ, **_ISOLATED},
            capture_output=True,
            check=False,
        )
        return proc.stdout.decode().strip() or None

    def read(self, ref: str, path: str) -> str:
        """A file's text at a ref."""
        return git("--git-dir", str(self.path), "show", f"{ref}:{path}")

    def subjects(self, ref: str) -> list[str]:
        """Commit subjects from the tip of `ref` down to the root."""
        return git("--git-dir", str(self.path), "log", "--format=%s", ref).splitlines()

    def show(self, ref: str, fmt: str) -> str:
        """`git log -1 --format=FMT REF`."""
        return git("--git-dir", str(self.path), "log", "-1", f"--format={fmt}", ref)

    def refs(self) -> dict[str, str]:
        """Every branch and its commit."""
        out = git("--git-dir", str(self.path), "for-each-ref", "--format=%(refname) %(objectname)")
        return dict(line.split(" ", 1) for line in out.splitlines())

    def set_ref(self, branch: str, sha: str) -> None:
        """Point `branch` at `sha` (a forge's refs API)."""
        git("--git-dir", str(self.path), "update-ref", f"refs/heads/{branch}", sha)

    def pushes(self) -> list[str]:
        """`OLD NEW REF` for every ref a push updated, oldest first."""
        log = self.path / "pushes.log"
        return log.read_text().splitlines() if log.exists() else []

    def commit(
        self,
        files: dict[str, str],
        message: str,
        branch: str | None = None,
        *,
        when: datetime | None = None,
        author: str | None = None,
    ) -> str:
        """Write `files` and push them to `branch` from a scratch clone, as another user would;
        dated `when` (author and committer date) and by `author` when given."""
        branch = branch or self.branch
        with tempfile.TemporaryDirectory(prefix="other-") as tmp:
            work = Path(tmp)
            git("clone", "--quiet", str(self.path), str(work))
            if self.sha(branch):
                git("checkout", "--quiet", "-B", branch, f"origin/{branch}", cwd=work)
            else:
                git("checkout", "--quiet", "--orphan", branch, cwd=work)
            for name, text in files.items():
                target = work / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode())
            git("add", "--all", cwd=work)
            stamp = when.isoformat() if when else ""
            dated = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp} if when else {}
            who = {"GIT_AUTHOR_NAME": author, "GIT_COMMITTER_NAME": author} if author else {}
            git(
                "commit", "--quiet", "-m", message, cwd=work, env={**(dated if when else {}), **who}
            )
            git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", cwd=work)
            return git("rev-parse", "HEAD", cwd=work)


def _bare(
    repo: BareRepo, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> str:
    proc = subprocess.run(
        ["git", "--git-dir", str(repo.path), *args],
        input=stdin,
        env={**os.environ, **_ISOLATED, **(env or {})},
        capture_output=True,
        check=False,
    )
    if proc.returncode:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr.decode()}")
    return proc.stdout.decode().strip()


def blob_bytes(repo: BareRepo, ref: str, path: str) -> bytes:
    """The exact bytes of a file at a ref, as git stores them."""
    proc = subprocess.run(
        ["git", "--git-dir", str(repo.path), "cat-file", "blob", f"{ref}:{path}"],
        env={**os.environ, **_ISOLATED},
        capture_output=True,
        check=True,
    )
    return proc.stdout


def last_commit(repo: BareRepo, ref: str, path: str) -> str | None:
    """The last commit at or before `ref` that touched `path`."""
    return _bare(repo, "log", "-1", "--format=%H", ref, "--", path) or None


def commit_files(
    repo: BareRepo,
    branch: str,
    parent: str,
    files: dict[str, bytes],
    message: str,
    author: tuple[str, str],
    expected: str | None,
) -> str | None:
    """Commit `files` (exact bytes) on `parent` and move `branch` to it, as a forge's commit API
    does: None when `branch` no longer points at `expected` ("" for must not exist)."""
    with tempfile.TemporaryDirectory(prefix="forge-") as tmp:
        index = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _bare(repo, "read-tree", parent, env=index)
        records = []
        for path, data in files.items():
            mode = _bare(repo, "ls-tree", parent, "--", path).split(" ", 1)[0] or "100644"
            sha = _bare(repo, "hash-object", "-w", "--stdin", stdin=data)
            records.append(f"{mode} {sha}\t{path}\0")
        _bare(
            repo, "update-index", "-z", "--index-info", stdin="".join(records).encode(), env=index
        )
        tree = _bare(repo, "write-tree", env=index)
    who = {
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": "GitHub",
        "GIT_COMMITTER_EMAIL": "noreply@github.com",
    }
    sha = _bare(repo, "commit-tree", tree, "-p", parent, "-F", "-", stdin=message.encode(), env=who)
    old = expected if expected else "0" * 40
    proc = subprocess.run(
        ["git", "--git-dir", str(repo.path), "update-ref", f"refs/heads/{branch}", sha, old],
        env={**os.environ, **_ISOLATED},
        capture_output=True,
        check=False,
    )
    return None if proc.returncode else sha
