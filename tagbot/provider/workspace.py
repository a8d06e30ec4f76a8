"""Opening the checkout tagbot publishes from: the local one, or a shallow clone, with the
forge credential that git and the API will use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from tagbot import redact
from tagbot.errors import GitError
from tagbot.models import GitOptions
from tagbot.provider.check import check_credential
from tagbot.provider.git import REMOTE, Git, Workspace, failure, fetch, git_env, refused
from tagbot.provider.remote import auth_header, credential_for
from tagbot.provider.target import Credential


def open_workspace(options: GitOptions, workdir: Path, *, cwd: Path | None = None) -> Workspace:
    """The checkout to edit: the repository around `cwd` for ".", else a shallow clone in `workdir`.

    When publishing will use the forge's API, the credential is checked with one API call as
    soon as the checkout is open (ConfigError naming its variable when refused), so a wrong
    token fails before anything is planned, edited or pushed; a clone the remote refuses says
    which token it refused."""
    if options.repository == ".":
        ws = _open_local(options, cwd or Path.cwd())
    else:
        ws = _clone(options, workdir)
    if ws.credential is not None:
        check_credential(ws, options)
    return ws


def _auth(options: GitOptions, url: str, credential: Credential | None) -> Callable[[], str | None]:
    return lambda: auth_header(options, url, credential)


def _open_local(options: GitOptions, start: Path) -> Workspace:
    # The checkout's own credentials are used (actions/checkout persists them), unless a GitHub
    # App is configured: then its token replaces them, so pushes are the App's.
    env = git_env()
    top = Git(start, env, options.timeout).out("rev-parse", "--show-toplevel")
    git = Git(Path(top), env, options.timeout)
    url = git.out("remote", "get-url", REMOTE)
    redact.register(_password(url))
    credential = _credential(options, url)
    if credential is not None and credential.kind == "app":
        git = Git(git.root, env, options.timeout, _auth(options, url, credential))
    shallow = git.out("rev-parse", "--is-shallow-repository") == "true"
    base = options.base_branch or _remote_head(git)
    ws = Workspace(git, base, "", url, shallow, cloned=False, credential=credential)
    ws.base_sha = fetch(ws, base, depth=1)
    return ws


def _clone(options: GitOptions, workdir: Path) -> Workspace:
    url = options.repository
    workdir.mkdir(parents=True, exist_ok=True)
    credential = _credential(options, url)
    git = Git(workdir, git_env(), options.timeout, _auth(options, url, credential))
    branch = ["--branch", options.base_branch] if options.base_branch else []
    args = ("clone", "--quiet", "--depth", "1", "--no-tags", *branch, "--", url, ".")
    proc = git.attempt(*args)
    if proc.returncode:
        raise refused(credential, proc) or GitError(failure(args, proc))
    base = git.out("symbolic-ref", "--short", "HEAD")
    shallow = git.out("rev-parse", "--is-shallow-repository") == "true"
    head = git.out("rev-parse", "HEAD")
    return Workspace(git, base, head, url, shallow, cloned=True, credential=credential)


def _credential(options: GitOptions, url: str) -> Credential | None:
    if options.provider == "git" and not options.token_env:
        return None
    return credential_for(options, url)


def _remote_head(git: Git) -> str:
    for line in git.out("ls-remote", "--symref", REMOTE, "HEAD").splitlines():
        ref, _, name = line.partition("\t")
        if name == "HEAD" and ref.startswith("ref: refs/heads/"):
            return ref.removeprefix("ref: refs/heads/")
    raise GitError("cannot tell the remote's default branch: set git.base_branch")


def _password(url: str) -> str | None:
    return urlsplit(url).password if "://" in url else None
