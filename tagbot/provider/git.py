"""The `git` binary through subprocess: a scrubbed runner with a deadline, the workspace record,
fetches and pushes."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from subprocess import DEVNULL, PIPE
from typing import Literal

from tagbot import redact
from tagbot.errors import ConfigError, GitError
from tagbot.provider.target import Credential

REMOTE = "origin"
TIMEOUT = 300.0  # seconds a git command may take in total (git.timeout)
Pushed = Literal["pushed", "rejected"]
# Rejections that mean "someone pushed first" (git's transport.c wording), and the server losing
# the ref lock to a push landing at the same instant. A hook or a protected branch is final.
_RACES = ("(fetch first)", "(non-fast-forward)", "(stale info)", "(failed to update ref)")


@dataclass(frozen=True)
class Git:
    """Runs git in one directory: no prompts, C locale, literal paths, optional auth header."""

    root: Path
    env: dict[str, str]
    timeout: float = TIMEOUT
    # The auth header, asked for before every command: an App's token is refreshed as it ages.
    header: Callable[[], str | None] | None = field(default=None, compare=False)

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
        """Run `git ARGS` and return the result whatever the exit status.

        The timeout bounds the whole command: git and its helpers (ssh, git-remote-https) run in
        their own process group, killed together, so a helper holding the pipes cannot outlive it.
        """
        auth = header_env(self.header() if self.header else None, self.env)
        try:
            proc = subprocess.Popen(
                ["git", *args],
                cwd=self.root,
                env={**self.env, **auth, **(env or {})},
                stdin=PIPE if stdin is not None else DEVNULL,
                stdout=PIPE,
                stderr=PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise GitError(f"cannot run git: {exc.strerror}") from None
        with proc:
            try:
                out, err = proc.communicate(stdin, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                raise GitError(
                    f"git {args[0]} did not finish in {self.timeout:g} s (git.timeout): "
                    "the remote does not answer"
                ) from None
        return subprocess.CompletedProcess(["git", *args], proc.returncode, out, err)

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
    credential: Credential | None = None
    checked: bool = False  # the forge accepted the credential (preflight asks once)

    @property
    def root(self) -> Path:
        """The top of the working tree; FileEdit paths are relative to it."""
        return self.git.root


def failure(args: tuple[str, ...], proc: subprocess.CompletedProcess[bytes]) -> str:
    """A one-line, scrubbed description of a failed git command."""
    lines = proc.stderr.decode(errors="replace").splitlines()
    detail = " | ".join(s.strip() for s in lines if s.strip() and not s.startswith("hint:"))
    return redact.scrub(f"git {args[0]} failed (exit {proc.returncode}): {detail or 'no message'}")


def git_env() -> dict[str, str]:
    """The environment for git: never prompt, C locale, literal paths."""
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GCM_INTERACTIVE": "never", "LC_ALL": "C"}
    env["GIT_LITERAL_PATHSPECS"] = "1"
    return env


def header_env(header: str | None, env: dict[str, str]) -> dict[str, str]:
    """`http.extraHeader` as env config (so not in `ps`): first an empty value, which drops any
    header the checkout persisted (two Authorization headers make the server refuse both)."""
    if not header:
        return {}
    n = int(env.get("GIT_CONFIG_COUNT") or 0)
    return {
        "GIT_CONFIG_COUNT": str(n + 2),
        f"GIT_CONFIG_KEY_{n}": "http.extraHeader",
        f"GIT_CONFIG_VALUE_{n}": "",
        f"GIT_CONFIG_KEY_{n + 1}": "http.extraHeader",
        f"GIT_CONFIG_VALUE_{n + 1}": header,
    }


# git's words when the server wanted credentials it did not get or did not accept.
_REFUSED = ("could not read username", "authentication failed", "returned error: 401")


def refused(
    credential: Credential | None, proc: subprocess.CompletedProcess[bytes]
) -> ConfigError | None:
    """A ConfigError naming the token's variable when git's failure says it was refused."""
    text = proc.stderr.decode(errors="replace").lower()
    if credential is None or not any(words in text for words in _REFUSED):
        return None
    return ConfigError(f"the git remote refused the token in {credential.source}")


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
    denied = refused(ws.credential, proc)
    if denied:
        raise denied
    raise GitError(
        redact.scrub(f"push to {branch} refused: {summary}; {failure(tuple(args), proc)}")
    )
