"""The `git` binary through subprocess: a scrubbed runner, the workspace, fetches and pushes."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from subprocess import DEVNULL
from typing import Any, Literal
from urllib.parse import urlsplit

from tagbot import redact
from tagbot.errors import GitError
from tagbot.models import GitOptions
from tagbot.provider.remote import auth_header

REMOTE = "origin"
TIMEOUT = 600  # seconds; a hung remote must not hang a scheduled run forever
Pushed = Literal["pushed", "rejected"]
# Rejections that mean "someone pushed first" (git's transport.c wording), and the server losing
# the ref lock to a push landing at the same instant. A hook or a protected branch is final.
_RACES = ("(fetch first)", "(non-fast-forward)", "(stale info)", "(failed to update ref)")


@dataclass(frozen=True)
class Git:
    """Runs git in one directory: no prompts, C locale, literal paths, optional auth header."""

    root: Path
    env: dict[str, str]

    def run(
        self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGS`; GitError (scrubbed) when it fails."""
        proc = self.attempt(*args, stdin=stdin, env=env)
        if proc.returncode:
            raise GitError(failure(args, proc))
        return proc

    def attempt(
        self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGS` and return the result whatever the exit status."""
        feed: dict[str, Any] = {"input": stdin} if stdin is not None else {"stdin": DEVNULL}
        try:
            return subprocess.run(
                ["git", *args],
                cwd=self.root,
                env={**self.env, **(env or {})},
                capture_output=True,
                check=False,
                timeout=TIMEOUT,
                **feed,
            )
        except subprocess.TimeoutExpired:
            raise GitError(f"git {args[0]} did not finish in {TIMEOUT} s") from None
        except OSError as exc:
            raise GitError(f"cannot run git: {exc.strerror}") from None

    def out(self, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
        """Run `git ARGS` and return its stdout, stripped."""
        return self.run(*args, stdin=stdin, env=env).stdout.decode().strip()


@dataclass
class Workspace:
    """A checkout tagbot publishes from: the base branch and the base tip commits build on."""

    git: Git
    base: str
    base_sha: str
    remote_url: str
    shallow: bool
    cloned: bool

    @property
    def root(self) -> Path:
        """The top of the working tree; FileEdit paths are relative to it."""
        return self.git.root


def failure(args: tuple[str, ...], proc: subprocess.CompletedProcess[bytes]) -> str:
    """A one-line, scrubbed description of a failed git command."""
    lines = proc.stderr.decode(errors="replace").splitlines()
    detail = " | ".join(s.strip() for s in lines if s.strip() and not s.startswith("hint:"))
    return redact.scrub(f"git {args[0]} failed (exit {proc.returncode}): {detail or 'no message'}")


def git_env(header: str | None) -> dict[str, str]:
    """The environment for git: never prompt; the auth header as env config, so not in `ps`."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "LC_ALL": "C"}
    env["GIT_LITERAL_PATHSPECS"] = "1"
    if header:
        n = int(env.get("GIT_CONFIG_COUNT") or 0)
        env.update(
            {
                "GIT_CONFIG_COUNT": str(n + 1),
                f"GIT_CONFIG_KEY_{n}": "http.extraHeader",
                f"GIT_CONFIG_VALUE_{n}": header,
            }
        )
    return env


def open_workspace(options: GitOptions, workdir: Path, *, cwd: Path | None = None) -> Workspace:
    """The checkout to edit: the repository around `cwd` for ".", else a shallow clone in `workdir`."""
    if options.repository == ".":
        return _open_local(options, cwd or Path.cwd())
    return _clone(options, workdir)


def _open_local(options: GitOptions, start: Path) -> Workspace:
    # The checkout's own credentials are used (actions/checkout persists them): adding a second
    # Authorization header next to theirs would make the server refuse both.
    env = git_env(None)
    top = Git(start, env).out("rev-parse", "--show-toplevel")
    git = Git(Path(top), env)
    url = git.out("remote", "get-url", REMOTE)
    redact.register(_password(url))
    shallow = git.out("rev-parse", "--is-shallow-repository") == "true"
    base = options.base_branch or _remote_head(git)
    ws = Workspace(git, base, "", url, shallow, cloned=False)
    ws.base_sha = fetch(ws, base, depth=1)
    return ws


def _clone(options: GitOptions, workdir: Path) -> Workspace:
    url = options.repository
    workdir.mkdir(parents=True, exist_ok=True)
    git = Git(workdir, git_env(auth_header(options, url)))
    branch = ["--branch", options.base_branch] if options.base_branch else []
    git.run("clone", "--quiet", "--depth", "1", "--no-tags", *branch, "--", url, ".")
    base = git.out("symbolic-ref", "--short", "HEAD")
    shallow = git.out("rev-parse", "--is-shallow-repository") == "true"
    return Workspace(git, base, git.out("rev-parse", "HEAD"), url, shallow, cloned=True)


def _remote_head(git: Git) -> str:
    for line in git.out("ls-remote", "--symref", REMOTE, "HEAD").splitlines():
        ref, _, name = line.partition("\t")
        if name == "HEAD" and ref.startswith("ref: refs/heads/"):
            return ref.removeprefix("ref: refs/heads/")
    raise GitError("cannot tell the remote's default branch: set git.base_branch")


def _password(url: str) -> str | None:
    return urlsplit(url).password if "://" in url else None


def remote_tip(ws: Workspace, branch: str, depth: int) -> str | None:
    """Fetch `branch` from the remote; its tip, or None when the remote has no such branch."""
    if not ws.git.out("ls-remote", REMOTE, f"refs/heads/{branch}"):
        return None
    return fetch(ws, branch, depth)


def fetch(ws: Workspace, branch: str, depth: int) -> str:
    """Fetch `branch` into `refs/remotes/origin/` (only `depth` deep in a shallow clone)."""
    deepen = ["--depth", str(depth)] if ws.shallow else []
    ref = f"refs/remotes/{REMOTE}/{branch}"
    ws.git.run("fetch", "--quiet", "--no-tags", *deepen, REMOTE, f"+refs/heads/{branch}:{ref}")
    return ws.git.out("rev-parse", "--verify", f"{ref}^{{commit}}")


def push(ws: Workspace, sha: str, branch: str, lease: str | None = None) -> Pushed:
    """Push `sha` to `branch`; "rejected" when someone pushed first, GitError for anything else.

    Without `lease` only a fast-forward is allowed (the base branch is never forced); with it,
    tagbot's own branch may be replaced if it still points at `lease` ("" for "must not exist").
    """
    args = ["push", "--porcelain", REMOTE]
    if lease is not None:
        args.append(f"--force-with-lease=refs/heads/{branch}:{lease}")
    args.append(f"{sha}:refs/heads/{branch}")
    proc = ws.git.attempt(*args)
    if proc.returncode == 0:
        return "pushed"
    status = [ln for ln in proc.stdout.decode(errors="replace").splitlines() if ln.startswith("!")]
    if status and status[0].endswith(_RACES):
        return "rejected"
    summary = status[0].split("\t")[-1] if status else "no status"
    raise GitError(
        redact.scrub(f"push to {branch} refused: {summary}; {failure(tuple(args), proc)}")
    )
