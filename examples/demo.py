"""The README's first command: a real registry, a real git remote, `tagbot plan` and `tagbot run`.

Starts Debian's `docker-registry` on a free loopback port, pushes a few images with several tags,
turns `examples/gitops-demo/` into a bare git remote, runs tagbot against it in push mode, and
shows every commit it pushed. The registry is stopped on exit; the remote and the checkout stay in
`.demo/` (gitignored, replaced by the next demo), so the git commands it echoes can be rerun.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.registry import RegistryServer  # noqa: E402

PLACEHOLDER = "127.0.0.1:5000"
IMAGES = {
    "demo/api": ["1.4.0", "1.4.1", "1.5.0", "1.6.0-rc.1", "2.0.0", "latest"],
    "demo/web": ["2.0.1-alpine", "2.0.2", "2.0.2-alpine", "2.1.0-alpine", "2.1.0"],
    "demo/proxy": ["0.9.0", "0.9.1", "0.10.0"],
    "demo/worker": ["2024.01.15", "2024.02.01", "2024.03.20", "latest"],
}
GIT_ENV = {
    "GIT_AUTHOR_NAME": "demo",
    "GIT_AUTHOR_EMAIL": "demo@example.invalid",
    "GIT_COMMITTER_NAME": "demo",
    "GIT_COMMITTER_EMAIL": "demo@example.invalid",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def sh(*args: str, cwd: Path, check: bool = True) -> int:
    """Run a command, echoing it, with the demo's git identity."""
    print(f"\n$ {' '.join(args)}", flush=True)
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(args, cwd=cwd, env=env, check=check).returncode


def git_out(*args: str) -> str:
    """A git command's output, stripped."""
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout.strip()


def seed(registry: RegistryServer) -> dict[str, str]:
    """Push every demo image with all its tags (each tag a distinct digest); digests by ref."""
    digests = {}
    with registry.seeder() as seeder:
        for repo, tags in IMAGES.items():
            for tag in tags:
                digests[f"{repo}:{tag}"] = seeder.push_image(repo, tag, label=tag).digest
    print(f"registry {registry.url}: pushed {sum(map(len, IMAGES.values()))} tags")
    return digests


def make_remote(work: Path, host: str, proxy_digest: str) -> Path:
    """A bare remote holding examples/gitops-demo with the registry's real address."""
    source = work / "source"
    shutil.copytree(ROOT / "examples" / "gitops-demo", source)
    for path in source.rglob("*.yaml"):
        text = path.read_text().replace(PLACEHOLDER, host)
        path.write_text(text.replace("sha256:DEMO_PROXY_DIGEST", proxy_digest))
    remote = work / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(remote)], check=True)
    env = {**os.environ, **GIT_ENV}
    for args in (
        ["git", "init", "-q", "-b", "main"],
        ["git", "add", "-A"],
        ["git", "commit", "-q", "-m", "Initial config"],
        ["git", "remote", "add", "origin", str(remote)],
        ["git", "push", "-q", "origin", "main"],
    ):
        subprocess.run(args, cwd=source, env=env, check=True)
    return remote


def main() -> int:
    """Run the demo; return tagbot's exit code."""
    tagbot = str(Path(sys.executable).parent / "tagbot")
    work = ROOT / ".demo"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    with RegistryServer() as registry:
        digests = seed(registry)
        remote = make_remote(work, registry.host, digests["demo/proxy:0.9.0"])
        clone = work / "checkout"
        subprocess.run(["git", "clone", "-q", str(remote), str(clone)], check=True)
        sh(tagbot, "scan", ".", cwd=clone)
        sh(tagbot, "plan", "--config", "tagbot.yaml", cwd=clone, check=False)
        before = git_out("--git-dir", str(remote), "rev-parse", "main")
        code = sh(tagbot, "run", "--config", "tagbot.yaml", cwd=clone, check=False)
        pushed = f"{before[:12]}..main"
        print("\nThe remote now holds every commit tagbot pushed (one per image):")
        sh(
            "git",
            "--git-dir",
            str(remote),
            "log",
            "--stat",
            "--format=%h %an <%ae>%n%n%B",
            pushed,
            cwd=work,
        )
        sh("git", "--git-dir", str(remote), "diff", before[:12], "main", cwd=work)
        print("\nA second run finds nothing new and changes nothing:")
        sh(tagbot, "run", "--config", "tagbot.yaml", cwd=clone, check=False)
    return code


if __name__ == "__main__":
    sys.exit(main())
