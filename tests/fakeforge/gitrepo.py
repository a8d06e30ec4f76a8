"""Real bare git remotes for tests: create, seed, read refs and files, push as someone else."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
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


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git with the isolated config; its stdout, stripped."""
    proc = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **_ISOLATED},
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

    def pushes(self) -> list[str]:
        """`OLD NEW REF` for every ref a push updated, oldest first."""
        log = self.path / "pushes.log"
        return log.read_text().splitlines() if log.exists() else []

    def commit(self, files: dict[str, str], message: str, branch: str | None = None) -> str:
        """Write `files` and push them to `branch` from a scratch clone, as another user would."""
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
            git("commit", "--quiet", "-m", message, cwd=work)
            git("push", "--quiet", "origin", f"HEAD:refs/heads/{branch}", cwd=work)
            return git("rev-parse", "HEAD", cwd=work)
